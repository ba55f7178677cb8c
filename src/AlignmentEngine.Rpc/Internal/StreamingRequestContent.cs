using System.Net;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>
/// A request body that stays open while the caller writes messages: HttpClient hands us the HTTP/2
/// request stream, and the body ends when the caller completes the request stream.
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamingRequestContent() => Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);

    public Task<Stream> StreamAsync => _stream.Task;

    public void Complete() => _complete.TrySetResult();

    public void Abort() => _complete.TrySetCanceled();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, default);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _stream.TrySetResult(stream);
        await _complete.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}

using System.Net;

namespace AlignmentEngine.Tests.Shared;

/// <summary>
/// A gRPC request body that stalls: a frame that declares 100 bytes, 3 of them sent, then nothing more until disposed
/// (a client that stopped sending part way through its message).
/// </summary>
internal sealed class StalledContent : HttpContent
{
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StalledContent() => Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(new byte[] { 0, 0, 0, 0, 100, 0x0A, 0x01, 0x41 });
        await stream.FlushAsync();
        await _disposed.Task;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        _disposed.TrySetResult();
        base.Dispose(disposing);
    }
}

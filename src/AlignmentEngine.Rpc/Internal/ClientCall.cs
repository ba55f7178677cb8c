using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>
/// One call on the client, for all four shapes: sends the request over HttpClient's HTTP/2, reads
/// response frames from the response stream, and turns headers/trailers into status and metadata.
/// </summary>
internal sealed class ClientCall<TRequest, TResponse> : IClientStreamWriter<TRequest>, IAsyncStreamReader<TResponse>, IDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly GrpcChannel _channel;
    private readonly GrpcMethod<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _cancel;
    private readonly CancellationTokenSource? _deadline;
    private readonly StreamingRequestContent? _requestContent;
    private readonly Task<HttpResponseMessage> _send;
    private readonly Lazy<Task<Metadata>> _headers;
    private readonly byte[] _frameHeader = new byte[GrpcProtocol.HeaderSize];
    private HttpResponseMessage? _response;
    private Stream? _responseStream;
    private string? _responseEncoding;
    private GrpcStatus? _status;
    private Metadata? _trailers;
    private TResponse? _current;
    private int _writing;
    private int _disposed;
    private bool _requestCompleted;

    public ClientCall(GrpcChannel channel, GrpcMethod<TRequest, TResponse> method, TRequest? request, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        var message = new HttpRequestMessage(HttpMethod.Post, channel.BaseAddress + method.FullName.TrimStart('/'))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var headers = message.Headers;
        headers.TryAddWithoutValidation("te", "trailers");
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        headers.TryAddWithoutValidation("user-agent", channel.Options.UserAgent);
        if (options.CompressRequests)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, GrpcProtocol.Gzip);
        }

        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var timeout = deadline.ToUniversalTime() - DateTime.UtcNow;
            if (timeout < TimeSpan.Zero)
            {
                timeout = TimeSpan.Zero;
            }

            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(timeout));
            _deadline = new CancellationTokenSource();
            _deadline.Token.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _cancel);
            _deadline.CancelAfter(timeout);
        }

        if (options.Headers is { Count: > 0 })
        {
            MetadataCodec.WriteTo(options.Headers, headers);
        }

        if (request is not null)
        {
            message.Content = new FramedContent(MessageFraming.ToFrame(request, options.CompressRequests, channel.Options.MaxSendMessageSize));
            _requestCompleted = true;
        }
        else
        {
            _requestContent = new StreamingRequestContent();
            message.Content = _requestContent;
        }

        _send = channel.Invoker.SendAsync(message, _cancel.Token);
        _headers = new Lazy<Task<Metadata>>(ReadHeadersAsync);
    }

    public Task<Metadata> ResponseHeadersAsync => _headers.Value;

    public TResponse Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

    private bool DeadlineExceeded => _deadline is { IsCancellationRequested: true };

    public GrpcStatus GetStatus() => _status ?? throw new InvalidOperationException("The call has not finished yet.");

    public Metadata GetTrailers() => _trailers ?? throw new InvalidOperationException("The call has not finished yet.");

    /// <summary>Unary and client-streaming: the single response, then the trailers, which must say OK.</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        if (!await MoveNext().ConfigureAwait(false))
        {
            throw Fail(new RpcException(StatusCode.Internal, "Failed to deserialize response message: the server returned no message for a unary response."));
        }

        var response = Current;
        if (await MoveNext().ConfigureAwait(false))
        {
            throw Fail(new RpcException(StatusCode.Internal, "The server returned more than one message for a unary response."));
        }

        return response;
    }

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        using var registration = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _cancel) : default;
        try
        {
            await _headers.Value.ConfigureAwait(false);
            if (_status is not null)
            {
                // Trailers-Only, or the stream already ended.
                return _status.Code == StatusCode.OK ? false : throw new RpcException(_status, _trailers!);
            }

            _responseStream ??= await _response!.Content.ReadAsStreamAsync(_cancel.Token).ConfigureAwait(false);
            var header = _frameHeader;
            var read = await _responseStream.ReadAtLeastAsync(header, GrpcProtocol.HeaderSize, throwOnEndOfStream: false, _cancel.Token).ConfigureAwait(false);
            if (read == 0)
            {
                FinishFromTrailers();
                return _status!.Code == StatusCode.OK ? false : throw new RpcException(_status, _trailers!);
            }

            if (read < GrpcProtocol.HeaderSize)
            {
                throw new RpcException(StatusCode.Internal, "Incomplete response message: the stream ended inside a frame header.");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
            if (header[0] > 1)
            {
                throw new RpcException(StatusCode.Internal, "Invalid compressed flag in a response message.");
            }

            if (_channel.Options.MaxReceiveMessageSize is { } max && length > (uint)max)
            {
                throw new RpcException(StatusCode.ResourceExhausted, $"Received message larger than max ({length} vs. {max}).");
            }

            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 1));
            try
            {
                await _responseStream.ReadExactlyAsync(buffer.AsMemory(0, (int)length), _cancel.Token).ConfigureAwait(false);
                _current = MessageFraming.ParsePayload(
                    _method.ResponseParser, header[0] == 1, new ReadOnlySequence<byte>(buffer, 0, (int)length), _responseEncoding, _channel.Options.MaxReceiveMessageSize);
            }
            catch (EndOfStreamException)
            {
                throw new RpcException(StatusCode.Internal, "Incomplete response message: the stream ended inside a frame.");
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return true;
        }
        catch (Exception ex) when (ex is not RpcException || _status is null)
        {
            throw Fail(ex);
        }
    }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_requestContent is null || _requestCompleted)
        {
            throw new InvalidOperationException("The request stream is complete: no more messages can be written.");
        }

        if (Interlocked.Exchange(ref _writing, 1) == 1)
        {
            throw new InvalidOperationException("A write is already in progress: await each WriteAsync before the next.");
        }

        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cancel.Token);
            var stream = await _requestContent.StreamAsync.WaitAsync(linked.Token).ConfigureAwait(false);
            var frame = MessageFraming.ToFrame(message, _options.CompressRequests, _channel.Options.MaxSendMessageSize);
            await stream.WriteAsync(frame, linked.Token).ConfigureAwait(false);
            await stream.FlushAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not InvalidOperationException and not RpcException)
        {
            throw Fail(ex);
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }

    public Task CompleteAsync()
    {
        _requestCompleted = true;
        _requestContent?.Complete();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        // Disposing twice (a using block and a cleanup list) must be harmless, as for any IDisposable.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_status is null)
        {
            // Still running: cancelling resets the HTTP/2 stream, which the server sees as cancellation.
            _cancel.Cancel();
        }

        _requestContent?.Abort();
        _responseStream?.Dispose();
        _response?.Dispose();
        _cancel.Dispose();
        _deadline?.Dispose();
    }

    private async Task<Metadata> ReadHeadersAsync()
    {
        HttpResponseMessage response;
        try
        {
            response = await _send.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Fail(ex);
        }

        _response = response;
        var metadata = new Metadata();
        MetadataCodec.AddValues(metadata, response.Headers);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw Fail(new RpcException(StatusMapper.FromHttpStatus((int)response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}"));
        }

        var contentType = response.Content.Headers.TryGetValues("Content-Type", out var types) ? string.Join(",", types) : null;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            throw Fail(new RpcException(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {contentType}"));
        }

        if (response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var encodings))
        {
            _responseEncoding = string.Join(",", encodings);
        }

        if (response.Headers.Contains(GrpcProtocol.StatusHeader))
        {
            // Trailers-Only: the status and trailers came in the only HEADERS frame.
            _status = ReadStatus(response.Headers);
            _trailers = metadata;
            Finished();
        }

        return metadata;
    }

    private void FinishFromTrailers()
    {
        var trailers = _response!.TrailingHeaders;
        _trailers = new Metadata();
        MetadataCodec.AddValues(_trailers, trailers);
        _status = trailers.Contains(GrpcProtocol.StatusHeader)
            ? ReadStatus(trailers)
            : new GrpcStatus(StatusCode.Unknown, "No grpc-status found on response.");
        Finished();
    }

    private void Finished()
    {
        _deadline?.Dispose();
        _requestContent?.Complete();
    }

    private static GrpcStatus ReadStatus(HttpHeaders headers)
    {
        var codeText = headers.GetValues(GrpcProtocol.StatusHeader).FirstOrDefault();
        var code = int.TryParse(codeText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var c)
            ? (StatusCode)c
            : StatusCode.Unknown;
        var message = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages) ? PercentEncoding.Decode(messages.First()) : string.Empty;
        Google.Rpc.Status? details = null;
        if (headers.TryGetValues(GrpcProtocol.StatusDetailsHeader, out var detailValues))
        {
            try
            {
                details = Google.Rpc.Status.Parser.ParseFrom(MetadataCodec.DecodeBase64(detailValues.First()));
            }
            catch (Exception ex) when (ex is FormatException or InvalidProtocolBufferException)
            {
                // Malformed details do not hide the status itself.
                details = null;
            }
        }

        return new GrpcStatus(code, message, details);
    }

    private RpcException Fail(Exception exception)
    {
        var failure = StatusMapper.FromClientException(exception, DeadlineExceeded);
        if (_status is null)
        {
            _status = failure.Status;
            _trailers = failure.Trailers;
            _cancel.Cancel();
        }

        return failure;
    }
}

using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>
/// One call on the server: parses the gRPC request headers, owns the deadline and the cancellation
/// token, decides between a normal response and Trailers-Only, and writes status and trailers.
/// </summary>
internal sealed class ServerCall : ServerCallContext, IDisposable
{
    private readonly HttpContext _http;
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;
    private CancellationTokenSource? _deadlineTimer;
    private CancellationTokenSource? _linkedSource;

    // Only calls with a deadline have two parties that may end the response (the handler's flow and
    // the deadline timer); this gate serialises them. Without a deadline it stays null: no cost.
    private SemaphoreSlim? _gate;
    private bool _completed;
    private Metadata? _requestHeaders;
    private Metadata? _responseHeaders;
    private Metadata? _responseTrailers;
    private GrpcStatus _status = GrpcStatus.Ok;
    private DateTime _deadline = DateTime.MaxValue;
    private CancellationToken _token;
    private bool _clientAcceptsGzip;
    private bool _headersSent;

    public ServerCall(HttpContext http, string method, GrpcServerOptions options, ILogger logger)
    {
        _http = http;
        Method = method;
        _options = options;
        _logger = logger;
        _token = http.RequestAborted;
    }

    public override string Method { get; }

    public override string Host => _http.Request.Host.Value ?? string.Empty;

    public override string Peer
    {
        get
        {
            var connection = _http.Connection;
            if (connection.RemoteIpAddress is null)
            {
                return "unknown";
            }

            var family = connection.RemoteIpAddress.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6:[" + connection.RemoteIpAddress + "]" : "ipv4:" + connection.RemoteIpAddress;
            return family + ":" + connection.RemotePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public override DateTime Deadline => _deadline;

    public override Metadata RequestHeaders => _requestHeaders ??= MetadataCodec.FromRequestHeaders(_http.Request.Headers);

    public override CancellationToken CancellationToken => _token;

    public override Metadata ResponseHeaders => _responseHeaders ??= new Metadata();

    public override Metadata ResponseTrailers => _responseTrailers ??= new Metadata();

    public override GrpcStatus Status
    {
        get => _status;
        set => _status = value ?? throw new ArgumentNullException(nameof(value));
    }

    public override bool CompressResponses { get; set; }

    /// <summary>The request's <c>grpc-encoding</c> (null when absent).</summary>
    public string? RequestEncoding { get; private set; }

    public int? MaxReceiveMessageSize => _options.MaxReceiveMessageSize;

    public int? MaxSendMessageSize => _options.MaxSendMessageSize;

    /// <summary>Whether the response headers announced gzip, which is what allows compressed frames.</summary>
    public bool ResponseGzip { get; private set; }

    /// <summary>Whether the next response frame should be compressed.</summary>
    public bool CompressNext => ResponseGzip && CompressResponses;

    public bool DeadlineExceeded => _deadlineTimer is { IsCancellationRequested: true };

    public bool ClientCancelled => _http.RequestAborted.IsCancellationRequested;

    public HttpContext HttpContext => _http;

    public override HttpContext GetHttpContext() => _http;

    /// <summary>Reads grpc-timeout and grpc-encoding. Throws <see cref="RpcException"/> for an encoding we cannot decode.</summary>
    public void Initialize()
    {
        var response = _http.Response;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;

        var headers = _http.Request.Headers;
        var encoding = headers[GrpcProtocol.EncodingHeader];
        if (encoding.Count > 0)
        {
            var value = encoding.ToString();
            if (!string.Equals(value, GrpcProtocol.Identity, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(value, GrpcProtocol.Gzip, StringComparison.OrdinalIgnoreCase))
            {
                // Spec: UNIMPLEMENTED, and say what we accept (grpc-accept-encoding is on every response).
                throw new RpcException(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{value}'. Supported encodings: {GrpcProtocol.SupportedEncodings}");
            }

            RequestEncoding = value;
        }

        var accept = headers[GrpcProtocol.AcceptEncodingHeader];
        _clientAcceptsGzip = accept.Count > 0 && GrpcProtocol.AcceptsGzip(accept.ToString());
        CompressResponses = _options.CompressResponses;

        var timeout = headers[GrpcProtocol.TimeoutHeader];
        if (timeout.Count > 0)
        {
            if (GrpcTimeout.TryParse(timeout.ToString(), out var span))
            {
                _deadline = span.Ticks >= (DateTime.MaxValue - DateTime.UtcNow).Ticks ? DateTime.MaxValue : DateTime.UtcNow + span;

                // Timers beyond ~49 days are not supported by CancelAfter; such a deadline never fires in practice.
                if (span < TimeSpan.FromDays(30))
                {
                    _gate = new SemaphoreSlim(1, 1);
                    _deadlineTimer = new CancellationTokenSource();
                    _linkedSource = CancellationTokenSource.CreateLinkedTokenSource(_http.RequestAborted, _deadlineTimer.Token);
                    _token = _linkedSource.Token;
                    _deadlineTimer.Token.UnsafeRegister(static state => _ = ((ServerCall)state!).CompleteOnDeadlineAsync(), this);
                    _deadlineTimer.CancelAfter(span);
                }
            }
            else
            {
                Log.InvalidTimeout(_logger, timeout.ToString());
            }
        }

    }

    /// <summary>Adds the deferred response headers; called before the first frame is written or on an explicit header write.</summary>
    public void EnsureHeaders()
    {
        if (_headersSent)
        {
            return;
        }

        _headersSent = true;
        var headers = _http.Response.Headers;
        if (_clientAcceptsGzip && CompressResponses)
        {
            ResponseGzip = true;
            headers[GrpcProtocol.EncodingHeader] = GrpcProtocol.Gzip;
        }

        if (_responseHeaders is { Count: > 0 })
        {
            MetadataCodec.WriteTo(_responseHeaders, headers);
        }
    }

    public override async Task WriteResponseHeadersAsync(Metadata? headers = null)
    {
        if (_headersSent)
        {
            throw new InvalidOperationException("Response headers have already been sent.");
        }

        if (headers is not null)
        {
            foreach (var entry in headers)
            {
                ResponseHeaders.Add(entry);
            }
        }

        if (!await EnterWriteAsync().ConfigureAwait(false))
        {
            throw CompletedException();
        }

        try
        {
            EnsureHeaders();
            await _http.Response.BodyWriter.FlushAsync(_token).ConfigureAwait(false);
        }
        finally
        {
            ExitWrite();
        }
    }

    /// <summary>What a handler gets for writing to a call the deadline has already ended.</summary>
    public static RpcException CompletedException() => new(StatusCode.DeadlineExceeded, "The call has already ended (deadline exceeded).");

    /// <summary>
    /// Enters the section that writes to the response. False when the call is already complete (the
    /// deadline ended it), in which case nothing may be written and the gate is not held.
    /// </summary>
    public async ValueTask<bool> EnterWriteAsync()
    {
        if (_gate is null)
        {
            return !_completed;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        if (_completed)
        {
            _gate.Release();
            return false;
        }

        return true;
    }

    /// <summary>The synchronous form, for writes that never wait (unary responses are buffered until completion).</summary>
    public bool EnterWrite()
    {
        if (_gate is null)
        {
            return !_completed;
        }

        _gate.Wait();
        if (_completed)
        {
            _gate.Release();
            return false;
        }

        return true;
    }

    public void ExitWrite() => _gate?.Release();

    /// <summary>Ends the call from the handler's flow, unless the deadline already did.</summary>
    public async ValueTask FinishAsync(GrpcStatus status, Metadata? extraTrailers)
    {
        if (!await EnterWriteAsync().ConfigureAwait(false))
        {
            return;
        }

        try
        {
            _completed = true;
            Complete(status, extraTrailers);
        }
        finally
        {
            ExitWrite();
        }
    }

    /// <summary>The client is gone: mark the call complete without writing, after any deadline write in flight.</summary>
    public async ValueTask AbandonAsync()
    {
        if (await EnterWriteAsync().ConfigureAwait(false))
        {
            _completed = true;
            ExitWrite();
        }
    }

    /// <summary>
    /// The deadline passed: end the call with DEADLINE_EXCEEDED now, even if the handler ignores its
    /// token. The handler's later writes are refused. The request delegate waits for this (through the
    /// gate) before it returns, so the HttpContext is never touched after the request ends.
    /// </summary>
    private async Task CompleteOnDeadlineAsync()
    {
        if (!await EnterWriteAsync().ConfigureAwait(false))
        {
            return;
        }

        try
        {
            _completed = true;
            Log.DeadlineExceeded(_logger, Method);
            Complete(new GrpcStatus(StatusCode.DeadlineExceeded, "Deadline Exceeded"), null);
            await _http.Response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The connection is gone or the response cannot be completed: the client's own deadline applies.
        }
        finally
        {
            ExitWrite();
        }
    }

    /// <summary>
    /// Ends the call with <paramref name="status"/>. Before any header or message was sent this is a
    /// Trailers-Only response (one HEADERS frame with END_STREAM); otherwise trailers follow the data.
    /// </summary>
    private void Complete(GrpcStatus status, Metadata? extraTrailers)
    {
        var response = _http.Response;
        if (!_headersSent && !response.HasStarted)
        {
            var headers = response.Headers;
            if (_responseHeaders is { Count: > 0 })
            {
                MetadataCodec.WriteTo(_responseHeaders, headers);
            }

            WriteStatus(status, headers);
            if (_responseTrailers is { Count: > 0 })
            {
                MetadataCodec.WriteTo(_responseTrailers, headers);
            }

            if (extraTrailers is { Count: > 0 })
            {
                MetadataCodec.WriteTo(extraTrailers, headers);
            }

            return;
        }

        if (status.Code == StatusCode.OK && _responseTrailers is null && extraTrailers is null)
        {
            // The hot path: one precomputed trailer.
            response.AppendTrailer(GrpcProtocol.StatusHeader, "0");
            return;
        }

        response.AppendTrailer(GrpcProtocol.StatusHeader, GrpcProtocol.StatusString(status.Code));
        if (!string.IsNullOrEmpty(status.Message))
        {
            response.AppendTrailer(GrpcProtocol.MessageHeader, PercentEncoding.Encode(status.Message));
        }

        if (status.Details is not null)
        {
            response.AppendTrailer(GrpcProtocol.StatusDetailsHeader, EncodeDetails(status));
        }

        if (_responseTrailers is { Count: > 0 })
        {
            MetadataCodec.WriteTrailers(_responseTrailers, response);
        }

        if (extraTrailers is { Count: > 0 })
        {
            MetadataCodec.WriteTrailers(extraTrailers, response);
        }
    }

    public void Dispose()
    {
        // The gate is not disposed: a deadline callback may still be about to find the call complete.
        _linkedSource?.Dispose();
        _deadlineTimer?.Dispose();
    }

    private static void WriteStatus(GrpcStatus status, IHeaderDictionary headers)
    {
        headers[GrpcProtocol.StatusHeader] = GrpcProtocol.StatusString(status.Code);
        if (!string.IsNullOrEmpty(status.Message))
        {
            headers[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(status.Message);
        }

        if (status.Details is not null)
        {
            headers[GrpcProtocol.StatusDetailsHeader] = EncodeDetails(status);
        }
    }

    private static string EncodeDetails(GrpcStatus status)
    {
        // The details must agree with the status they accompany.
        var details = status.Details!;
        if (details.Code != (int)status.Code || details.Message != status.Message)
        {
            details = details.Clone();
            details.Code = (int)status.Code;
            details.Message = status.Message;
        }

        return MetadataCodec.EncodeBase64(Google.Protobuf.MessageExtensions.ToByteArray(details));
    }
}

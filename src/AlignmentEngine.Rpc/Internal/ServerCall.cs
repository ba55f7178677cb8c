using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
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
    private CancellationTokenSource? _deadlineSource;
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

    public bool DeadlineExceeded => _deadlineSource is { IsCancellationRequested: true } && !_http.RequestAborted.IsCancellationRequested;

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
                    _deadlineSource = CancellationTokenSource.CreateLinkedTokenSource(_http.RequestAborted);
                    _deadlineSource.CancelAfter(span);
                    _token = _deadlineSource.Token;
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

        EnsureHeaders();
        await _http.Response.BodyWriter.FlushAsync(_token).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the call with <paramref name="status"/>. Before any header or message was sent this is a
    /// Trailers-Only response (one HEADERS frame with END_STREAM); otherwise trailers follow the data.
    /// </summary>
    public void Complete(GrpcStatus status, Metadata? extraTrailers)
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

    /// <summary>
    /// After a failure mid-stream on a connection that cannot take trailers any more, reset the stream
    /// so the client does not wait forever.
    /// </summary>
    public void Reset(int errorCode)
    {
        _http.Features.Get<IHttpResetFeature>()?.Reset(errorCode);
    }

    public void Dispose() => _deadlineSource?.Dispose();

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

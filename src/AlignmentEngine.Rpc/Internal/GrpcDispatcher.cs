using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>
/// The terminal request handler: refuses what is not gRPC over HTTP/2, routes <c>POST /package.Service/Method</c>
/// through a frozen route table, and runs the call from headers to trailers.
/// </summary>
internal sealed class GrpcDispatcher
{
    private readonly FrozenDictionary<string, ServerMethod> _routes;
    private readonly FrozenSet<string> _services;
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;

    public GrpcDispatcher(IEnumerable<GrpcServiceRegistration> registrations, IOptions<GrpcServerOptions> options, ILoggerFactory loggerFactory, IServiceProvider services)
    {
        _options = options.Value;
        _logger = loggerFactory.CreateLogger("AlignmentEngine.Rpc");
        var routes = new Dictionary<string, ServerMethod>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            if (!names.Add(registration.Descriptor.FullName))
            {
                throw new InvalidOperationException($"Service {registration.Descriptor.FullName} is registered twice.");
            }

            foreach (var method in registration.CreateMethods(services))
            {
                if (!routes.TryAdd(method.Path, method))
                {
                    throw new InvalidOperationException($"Method {method.Path} is bound twice.");
                }
            }
        }

        _routes = routes.ToFrozenDictionary(StringComparer.Ordinal);
        _services = names.ToFrozenSet(StringComparer.Ordinal);
    }

    public Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol))
        {
            // gRPC needs HTTP/2 (trailers, full duplex); 426 tells an HTTP/1.x client why.
            return Refuse(http, StatusCodes.Status426UpgradeRequired, "gRPC requires HTTP/2.");
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            http.Response.Headers.Allow = "POST";
            return Refuse(http, StatusCodes.Status405MethodNotAllowed, "gRPC calls use POST.");
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            // Spec: 415, so that a plain HTTP client does not read a gRPC error (HTTP 200) as success.
            return Refuse(http, StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/grpc or application/grpc+proto.");
        }

        var path = request.Path.Value ?? string.Empty;
        return _routes.TryGetValue(path, out var method) ? RunAsync(http, method) : UnimplementedAsync(http, path);
    }

    private async Task RunAsync(HttpContext http, ServerMethod method)
    {
        using var call = new ServerCall(http, method.Path, _options, _logger);
        GrpcStatus status;
        Metadata? trailers = null;
        try
        {
            call.Initialize();
            if (method.SingleRequest)
            {
                // Buffer the single request here rather than in a helper: one state machine per call.
                var reader = http.Request.BodyReader;
                while (true)
                {
                    var result = await reader.ReadAsync(call.CancellationToken).ConfigureAwait(false);
                    bool complete;
                    bool compressed;
                    System.Buffers.ReadOnlySequence<byte> payload;
                    try
                    {
                        complete = RequestReader.TryGetSingleFrame(result, call, out compressed, out payload);
                    }
                    catch
                    {
                        reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                        throw;
                    }

                    if (!complete)
                    {
                        reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                        continue;
                    }

                    try
                    {
                        var invocation = method.InvokeAsync(call, compressed, payload);
                        if (!invocation.IsCompletedSuccessfully)
                        {
                            await invocation.ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        reader.AdvanceTo(result.Buffer.End);
                    }

                    break;
                }
            }
            else
            {
                await method.InvokeAsync(call).ConfigureAwait(false);
            }
            status = call.DeadlineExceeded ? StatusMapper.FromServerException(new OperationCanceledException(), deadlineExceeded: true, detailedErrors: false) : call.Status;
        }
        catch (Exception ex)
        {
            if (call.ClientCancelled && !call.DeadlineExceeded)
            {
                // The client reset the stream (or the connection is gone): there is nobody to answer.
                Log.CallCancelled(_logger, method.Path);
                await call.AbandonAsync().ConfigureAwait(false);
                return;
            }

            status = StatusMapper.FromServerException(ex, call.DeadlineExceeded, _options.EnableDetailedErrors);
            trailers = (ex as RpcException)?.Trailers;
            if (call.DeadlineExceeded)
            {
                // Already logged (and normally already answered) by the deadline itself.
            }
            else if (ex is RpcException)
            {
                Log.CallFailed(_logger, method.Path, status.Code, status.Message);
            }
            else
            {
                Log.HandlerFailed(_logger, method.Path, ex);
            }
        }

        await call.FinishAsync(status, trailers).ConfigureAwait(false);
    }

    private Task UnimplementedAsync(HttpContext http, string path)
    {
        Log.Unimplemented(_logger, path);
        var slash = path.LastIndexOf('/');
        var service = slash > 1 ? path[1..slash] : string.Empty;
        var message = _services.Contains(service) ? $"Method is unimplemented: {path}" : $"Service is unimplemented: {service}";
        using var call = new ServerCall(http, path, _options, _logger);
        try
        {
            call.Initialize();
        }
        catch (RpcException)
        {
            // An unsupported encoding does not matter: the method does not exist either way.
        }

        return call.FinishAsync(new GrpcStatus(StatusCode.Unimplemented, message), null).AsTask();
    }

    private Task Refuse(HttpContext http, int statusCode, string reason)
    {
        Log.RequestRefused(_logger, reason, http.Request.Protocol, http.Request.Method, http.Request.ContentType);
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(reason);
    }
}

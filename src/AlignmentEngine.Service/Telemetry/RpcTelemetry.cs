using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlignmentEngine.Service.Telemetry;

/// <summary>
/// A server span and a duration measurement per AlignmentService call, with the OpenTelemetry RPC semantic
/// conventions (<c>rpc.system</c>, <c>rpc.service</c>, <c>rpc.method</c>, <c>rpc.grpc.status_code</c>), and the
/// <see cref="CallLog"/> line written inside that span. Without an exporter listening (<see cref="TelemetryExport"/>)
/// and below Information they cost next to nothing.
/// </summary>
internal static class RpcTelemetry
{
    public const string Name = "AlignmentEngine.Service";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("rpc.server.duration", "ms", "How long AlignmentService calls take, by method and status.");

    public static async Task<T> Unary<T>(ServerCallContext context, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = Start(context, out var service, out var method);
        try
        {
            var response = await call().ConfigureAwait(false);
            End(context, span, service, method, StatusCode.OK, started);
            return response;
        }
        catch (Exception e)
        {
            End(context, span, service, method, e is RpcException rpc ? rpc.StatusCode : StatusCode.Unknown, started);
            throw;
        }
    }

    public static async Task Streaming(ServerCallContext context, Func<Task> call)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = Start(context, out var service, out var method);
        try
        {
            await call().ConfigureAwait(false);
            End(context, span, service, method, context.CancellationToken.IsCancellationRequested ? StatusCode.Cancelled : StatusCode.OK, started);
        }
        catch (Exception e)
        {
            End(context, span, service, method, e is RpcException rpc ? rpc.StatusCode : StatusCode.Unknown, started);
            throw;
        }
    }

    private static Activity? Start(ServerCallContext context, out string service, out string method)
    {
        // "/okr.alignment.v1.AlignmentService/GetGoal": the span is named "okr.alignment.v1.AlignmentService/GetGoal".
        var path = context.Method.TrimStart('/');
        var slash = path.LastIndexOf('/');
        service = slash < 0 ? path : path[..slash];
        method = slash < 0 ? string.Empty : path[(slash + 1)..];
        // The RPC span's parent is the caller's span (W3C traceparent), not the HTTP request's activity, which is not
        // sampled and would make a parent-based sampler drop the RPC span. Activity.Current is async-local: clearing it
        // here does not reach the caller of the (async) Unary or Streaming.
        Activity.Current = null;
        ActivityContext.TryParse(context.RequestHeaders.GetValue("traceparent"), context.RequestHeaders.GetValue("tracestate"), isRemote: true, out var parent);
        var span = Source.StartActivity(path, ActivityKind.Server, parent);
        span?.SetTag("rpc.system", "grpc");
        span?.SetTag("rpc.service", service);
        span?.SetTag("rpc.method", method);
        return span;
    }

    private static void End(ServerCallContext context, Activity? span, string service, string method, StatusCode status, long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        span?.SetTag("rpc.grpc.status_code", (int)status);
        if (status != StatusCode.OK) span?.SetStatus(ActivityStatusCode.Error, status.ToString());
        var log = context.GetHttpContext().RequestServices.GetService<ILogger<AlignmentService>>();
        if (log is not null) CallLog.Answered(log, method, status, elapsed);
        Duration.Record(
            elapsed,
            new("rpc.system", "grpc"), new("rpc.service", service), new("rpc.method", method), new("rpc.grpc.status_code", (int)status));
    }
}

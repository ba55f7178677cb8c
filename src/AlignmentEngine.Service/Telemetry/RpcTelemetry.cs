using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlignmentEngine.Service.Telemetry;

/// <summary>
/// A duration measurement per AlignmentService call, with the OpenTelemetry RPC semantic conventions (<c>rpc.system</c>,
/// <c>rpc.service</c>, <c>rpc.method</c>, <c>rpc.grpc.status_code</c>), and the <see cref="CallLog"/> line, written inside
/// the call's server span. That span is ASP.NET Core's request activity, exported with the same conventions by
/// OpenTelemetry.Instrumentation.AspNetCore (<see cref="TelemetryExport"/>). Without an exporter listening and below
/// Information they cost next to nothing.
/// </summary>
internal static class RpcTelemetry
{
    public const string Name = "AlignmentEngine.Service";

    private static readonly Meter Meter = new(Name);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("rpc.server.duration", "ms", "How long AlignmentService calls take, by method and status.");

    public static async Task<T> Unary<T>(ServerCallContext context, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await call().ConfigureAwait(false);
            End(context, StatusCode.OK, started);
            return response;
        }
        catch (Exception e)
        {
            End(context, e is RpcException rpc ? rpc.StatusCode : StatusCode.Unknown, started);
            throw;
        }
    }

    public static async Task Streaming(ServerCallContext context, Func<Task> call)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await call().ConfigureAwait(false);
            End(context, context.CancellationToken.IsCancellationRequested ? StatusCode.Cancelled : StatusCode.OK, started);
        }
        catch (Exception e)
        {
            End(context, e is RpcException rpc ? rpc.StatusCode : StatusCode.Unknown, started);
            throw;
        }
    }

    private static void End(ServerCallContext context, StatusCode status, long started)
    {
        // "/okr.alignment.v1.AlignmentService/GetGoal": service "okr.alignment.v1.AlignmentService", method "GetGoal".
        var path = context.Method.AsSpan().TrimStart('/');
        var slash = path.LastIndexOf('/');
        var service = slash < 0 ? path.ToString() : path[..slash].ToString();
        var method = slash < 0 ? string.Empty : path[(slash + 1)..].ToString();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var log = context.GetHttpContext().RequestServices.GetService<ILogger<AlignmentService>>();
        if (log is not null) CallLog.Answered(log, method, status, elapsed);
        Duration.Record(
            elapsed,
            new("rpc.system", "grpc"), new("rpc.service", service), new("rpc.method", method), new("rpc.grpc.status_code", (int)status));
    }
}

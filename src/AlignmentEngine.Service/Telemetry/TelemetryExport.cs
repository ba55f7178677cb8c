using AlignmentEngine.Service.Tenants;
using AlignmentEngine.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AlignmentEngine.Service.Telemetry;

/// <summary>
/// Exports the service's spans and metrics by OTLP/HTTP to <see cref="AlignmentServiceOptions.OtlpEndpoint"/>, on
/// OpenTelemetry.Extensions.Hosting (the providers start with the host, and what is pending is sent when it is
/// stopped, <see cref="TelemetryFlush"/>); with no endpoint configured nothing is collected or sent. Spans: RPC, store transaction, recomputation,
/// and PostgreSQL's own (Npgsql.OpenTelemetry) inside them (<see cref="TracedWorkSampler"/>). Metrics: RPC and recomputation durations, graph sizes and findings by
/// code per tenant.
/// </summary>
internal static class TelemetryExport
{
    // The meter Orleans' runtime instruments are on (Orleans.Runtime.OrleansInstruments).
    private const string OrleansMeter = "Microsoft.Orleans";

    private static readonly Microsoft.AspNetCore.Http.PathString AlignmentServicePath = $"/{AlignmentService.Descriptor.FullName}";

    public static void AddTo(IServiceCollection services, Uri endpoint)
    {
        services.AddHostedService<TelemetryFlush>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("okr"))
            .WithTracing(tracing => tracing
                .SetSampler(TracedWorkSampler.Instance)
                // The server span of each AlignmentService call (health and reflection make none), named after the
                // method, with rpc.* attributes: grpc-dotnet's call data, read by the instrumentation when
                // OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_ENABLE_GRPC_INSTRUMENTATION is on (GrpcServerHost sets it).
                .AddAspNetCoreInstrumentation(o => o.Filter = http => http.Request.Path.StartsWithSegments(AlignmentServicePath, StringComparison.Ordinal))
                // The grain calls the RPC front makes to the tenants' grains (Orleans' activity propagation), between
                // the RPC's span and the grain's store and recompute spans.
                .AddSource(RpcTelemetry.Name, StoreTelemetry.SourceName, Orleans.Diagnostics.ActivitySources.ApplicationGrainActivitySourceName)
                .AddNpgsql()
                .AddOtlpExporter(o =>
                {
                    o.Protocol = OtlpExportProtocol.HttpProtobuf;
                    o.Endpoint = SignalEndpoint(endpoint, "v1/traces");
                }))
            .WithMetrics(metrics => metrics
                // Orleans' own meters (grain calls, activations, messaging) beside the service's.
                .AddMeter(RpcTelemetry.Name, OrleansMeter)
                .AddInstrumentation(provider => new GraphMetrics(provider.GetRequiredService<TenantDirectory>()))
                .AddInstrumentation(provider => new Capacity.CapacityMetrics(provider.GetRequiredService<Capacity.ResidentGoals>(), provider.GetRequiredService<Capacity.TenantLoads>()))
                .AddOtlpExporter(o =>
                {
                    o.Protocol = OtlpExportProtocol.HttpProtobuf;
                    o.Endpoint = SignalEndpoint(endpoint, "v1/metrics");
                }));
    }

    /// <summary>
    /// Where one signal goes, as the OTLP exporter specification reads OTEL_EXPORTER_OTLP_ENDPOINT: the signal's path is
    /// appended to the base, whatever its path (http://collector:4318/otlp gives http://collector:4318/otlp/v1/traces).
    /// Resolving it as a relative URI instead would replace the last segment of a base without a trailing slash.
    /// </summary>
    internal static Uri SignalEndpoint(Uri baseEndpoint, string signalPath)
    {
        var builder = new UriBuilder(baseEndpoint);
        builder.Path = $"{builder.Path.TrimEnd('/')}/{signalPath}";
        return builder.Uri;
    }
}

using AlignmentEngine.Service.Tenants;
using AlignmentEngine.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AlignmentEngine.Service.Telemetry;

/// <summary>
/// Exports the service's spans and metrics by OTLP/HTTP to <see cref="AlignmentServiceOptions.OtlpEndpoint"/>; with no
/// endpoint configured nothing is collected or sent. Spans: RPC, store transaction, recomputation. Metrics: RPC and
/// recomputation durations, graph sizes and findings by code per tenant. What is pending is flushed when the server stops.
/// </summary>
internal sealed class TelemetryExport : IHostedService, IDisposable
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    private readonly TracerProvider? _traces;
    private readonly MeterProvider? _metrics;
    private readonly GraphMetrics? _graphs;

    public TelemetryExport(IOptions<AlignmentServiceOptions> options, TenantDirectory tenants)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Value.OtlpEndpoint is not { } endpoint) return;
        _graphs = new GraphMetrics(tenants);
        var resource = ResourceBuilder.CreateDefault().AddService("okr");
        _traces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(RpcTelemetry.Name, StoreTelemetry.SourceName)
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = SignalEndpoint(endpoint, "v1/traces");
            })
            .Build();
        _metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(RpcTelemetry.Name)
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = SignalEndpoint(endpoint, "v1/metrics");
            })
            .Build();
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

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _traces?.ForceFlush((int)FlushTimeout.TotalMilliseconds);
        _metrics?.ForceFlush((int)FlushTimeout.TotalMilliseconds);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _traces?.Dispose();
        _metrics?.Dispose();
        _graphs?.Dispose();
    }
}

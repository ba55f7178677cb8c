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
/// endpoint configured nothing is collected or sent. What is pending is flushed when the server stops.
/// </summary>
internal sealed class TelemetryExport : IHostedService, IDisposable
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    private readonly TracerProvider? _traces;
    private readonly MeterProvider? _metrics;

    public TelemetryExport(IOptions<AlignmentServiceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Value.OtlpEndpoint is not { } endpoint) return;
        var resource = ResourceBuilder.CreateDefault().AddService("okr");
        _traces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(RpcTelemetry.Name)
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = new Uri(endpoint, "v1/traces");
            })
            .Build();
        _metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(RpcTelemetry.Name)
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = new Uri(endpoint, "v1/metrics");
            })
            .Build();
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
    }
}

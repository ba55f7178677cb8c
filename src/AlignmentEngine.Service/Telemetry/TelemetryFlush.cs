using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AlignmentEngine.Service.Telemetry;

/// <summary>
/// Sends what is pending when the server stops, while the tenants the gauges read are still there: disposing the
/// providers later would collect the gauges after their instrumentation is gone.
/// </summary>
internal sealed class TelemetryFlush(IServiceProvider services) : IHostedService
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        services.GetService<TracerProvider>()?.ForceFlush((int)Timeout.TotalMilliseconds);
        services.GetService<MeterProvider>()?.ForceFlush((int)Timeout.TotalMilliseconds);
        return Task.CompletedTask;
    }
}

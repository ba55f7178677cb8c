using System.Diagnostics.Metrics;
using AlignmentEngine.Service.Telemetry;

namespace AlignmentEngine.Service.Capacity;

/// <summary>
/// The silo's memory budget and loads, read when the exporter collects: what an operator watches to size
/// <c>--max-resident-goals</c> (evictions climbing: the silos are too small for the tenants called) and
/// <c>--max-concurrent-loads</c> (activations waiting).
/// </summary>
internal sealed class CapacityMetrics : IDisposable
{
    private readonly Meter _meter = new(RpcTelemetry.Name);

    public CapacityMetrics(ResidentGoals residents, TenantLoads loads)
    {
        _meter.CreateObservableGauge("okr.silo.resident_goals", () => residents.Total, "{goal}", "Goals held by the tenants activated on this silo.");
        _meter.CreateObservableGauge("okr.silo.reserved_goals", () => residents.Reserved, "{goal}", "Goals of the budget reserved for tenants placed on this silo that are still loading.");
        _meter.CreateObservableCounter("okr.silo.evictions", () => residents.Evictions, "{tenant}", "Tenants deactivated to keep this silo within --max-resident-goals.");
        _meter.CreateObservableGauge("okr.silo.loads.waiting", () => loads.Waiting, "{tenant}", "Activations waiting for one of this silo's --max-concurrent-loads slots.");
    }

    public void Dispose() => _meter.Dispose();
}

using System.Diagnostics.Metrics;
using AlignmentEngine.Core;
using AlignmentEngine.Service.Tenants;

namespace AlignmentEngine.Service.Telemetry;

/// <summary>
/// Per-tenant gauges read when the exporter collects: the graph's size (goals, alignments) and its findings by code.
/// Findings are a gauge of how many there are now, not a counter of how many were reported: an operator charts "how
/// many goals are orphaned in tenant X" and alerts when it climbs, while a count of reports would grow with how often
/// clients happen to call AnalyzeAlignment and say nothing about the goals.
/// </summary>
internal sealed class GraphMetrics : IDisposable
{
    private readonly Meter _meter = new(RpcTelemetry.Name);

    public GraphMetrics(TenantDirectory tenants)
    {
        _meter.CreateObservableGauge(
            "okr.graph.goals",
            () => tenants.Loaded.Select(t => new Measurement<long>(t.Size.Goals, Tenant(t))),
            "{goal}",
            "Goals in each tenant's graph.");
        _meter.CreateObservableGauge(
            "okr.graph.alignments",
            () => tenants.Loaded.Select(t => new Measurement<long>(t.Size.Alignments, Tenant(t))),
            "{alignment}",
            "Alignments (child-to-parent links) in each tenant's graph.");
        _meter.CreateObservableGauge(
            "okr.findings",
            () => tenants.Loaded.SelectMany(t => t.Findings.Read().Select(f => new Measurement<long>(f.Count, Tenant(t), new("okr.finding.code", f.Code.Name())))),
            "{finding}",
            "Findings in each tenant by code, as of its last analysis and the changes committed since.");
    }

    private static KeyValuePair<string, object?> Tenant(Tenant tenant) => new("okr.tenant", tenant.Id);

    public void Dispose() => _meter.Dispose();
}

using System.Diagnostics.Metrics;
using AlignmentEngine.Service.Telemetry;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// The watch meter, beside the other okr.* ones: pushes a watch's full queue dropped. Each is replayed from the tenant
/// (its memory or the change log), so none is lost; a count that keeps climbing names a tenant whose watchers read
/// more slowly than it changes.
/// </summary>
internal static class WatchMetrics
{
    private static readonly Meter Meter = new(RpcTelemetry.Name);

    private static readonly Counter<long> Overflows = Meter.CreateCounter<long>("okr.watch.overflows", "{batch}",
        "Changes pushed to a watch whose queue was full (its client reads too slowly): dropped there, and replayed from the tenant when the client catches up.");

    public static void Overflowed(string tenant) => Overflows.Add(1, new KeyValuePair<string, object?>("okr.tenant", tenant));
}

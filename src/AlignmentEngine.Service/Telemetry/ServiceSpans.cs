using System.Diagnostics;

namespace AlignmentEngine.Service.Telemetry;

/// <summary>The service's own spans besides the RPC ones: recomputations, and work no call asked for.</summary>
internal static class ServiceSpans
{
    public static readonly ActivitySource Source = new(RpcTelemetry.Name);

    /// <summary>
    /// A root span for work the service does by itself (taking in another process's commits), so that the store and
    /// recompute spans under it are not orphans; null when no one listens.
    /// </summary>
    public static Activity? Background(string name, string tenant)
    {
        var span = Source.StartActivity(name, ActivityKind.Internal, parentContext: default);
        span?.SetTag("okr.tenant", tenant);
        return span;
    }
}

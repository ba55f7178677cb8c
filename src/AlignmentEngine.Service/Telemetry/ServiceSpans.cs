using System.Diagnostics;

namespace AlignmentEngine.Service.Telemetry;

/// <summary>The service's own spans besides the RPC ones: recomputations, and a write's catching up.</summary>
internal static class ServiceSpans
{
    public static readonly ActivitySource Source = new(RpcTelemetry.Name);

    /// <summary>
    /// A write taking in what another activation or deployment committed first (the parent of the store read and the
    /// replays it makes), under the write's own span; null when no one listens.
    /// </summary>
    public static Activity? CatchUp(string tenant)
    {
        var span = Source.StartActivity("okr.catch_up");
        span?.SetTag("okr.tenant", tenant);
        return span;
    }
}

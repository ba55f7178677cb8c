using System.Diagnostics;
using System.Diagnostics.Metrics;
using AlignmentEngine.Core;

namespace AlignmentEngine.Service.Telemetry;

/// <summary>
/// One roll-up recomputation of a tenant's graph: a build from a whole tree (at load, import, reload) or the
/// propagation of one change set (applied, simulated, or replayed from another process's log). Each is a span
/// (<c>okr.recompute KIND</c>, a child of the RPC span when a call caused it) and a point of the
/// <c>okr.recompute.duration</c> histogram. A change set's recomputation ends where the store's commit begins, so the
/// store's span is its sibling and the histogram measures the engine alone.
/// </summary>
internal sealed class Recomputation
{
    public const string Build = "build";
    public const string Apply = "apply";
    public const string Simulate = "simulate";
    public const string Replay = "replay";

    private static readonly Meter Meter = new(RpcTelemetry.Name);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "okr.recompute.duration", "ms", "How long roll-up recomputations take (graph builds, change-set propagation), by kind and tenant.");

    private readonly string _kind;
    private readonly string _tenant;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Activity? _span;
    private bool _ended;

    private Recomputation(string kind, string tenant, int changes)
    {
        _kind = kind;
        _tenant = tenant;
        _span = ServiceSpans.Source.StartActivity($"okr.recompute {kind}");
        _span?.SetTag("okr.tenant", tenant);
        _span?.SetTag("okr.recompute.kind", kind);
        if (changes > 0) _span?.SetTag("okr.changes", changes);
    }

    public static Recomputation Start(string kind, string tenant, int changes = 0) => new(kind, tenant, changes);

    /// <summary>A graph built from <paramref name="tree"/>, measured as a <see cref="Build"/>.</summary>
    public static GraphBuildResult BuildGraph(string tenant, GoalTree tree)
    {
        var recomputation = Start(Build, tenant);
        try
        {
            var build = AlignmentGraph.Build(tree);
            recomputation.End(build.Graph?.Count ?? 0, build.Graph?.Count ?? 0);
            return build;
        }
        catch (Exception e)
        {
            recomputation.Failed(e);
            throw;
        }
    }

    /// <summary>
    /// Ends the recomputation (only the first call counts): <paramref name="goals"/> in the graph, of which
    /// <paramref name="touched"/> moved in value or health.
    /// </summary>
    public void End(int goals, int touched)
    {
        if (_ended) return;
        _ended = true;
        Duration.Record(Stopwatch.GetElapsedTime(_started).TotalMilliseconds, new("okr.recompute.kind", _kind), new("okr.tenant", _tenant));
        if (_span is null) return;
        _span.SetTag("okr.goals", goals);
        _span.SetTag("okr.goals.touched", touched);
        _span.Stop();
    }

    public void Failed(Exception exception)
    {
        if (_ended) return;
        _ended = true;
        if (_span is null) return;
        _span.SetTag("error.type", exception.GetType().FullName);
        _span.SetStatus(ActivityStatusCode.Error, exception.Message);
        _span.Stop();
    }
}

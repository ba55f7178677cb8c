using System.Runtime.CompilerServices;
using AlignmentEngine.Core.Graph;
using AlignmentEngine.Core.Rules;

namespace AlignmentEngine.Core.Analysis;

/// <summary>
/// The warning and info findings of a valid graph (semantics.md, "Findings"), read off the node and edge tables
/// and never written to them. Each finding about a goal depends only on that goal and its direct parents and
/// children ("node findings"), or on one metric key or one owner ("group findings"); that locality is what lets a
/// change recompute only the findings around what it touched.
/// </summary>
internal sealed class FindingAnalyzer(
    NodeTable nodes,
    EdgeTable edges,
    AdjacencyLists parentEdges,
    AdjacencyLists childEdges,
    GroupMembers keyMembers,
    GroupMembers ownerMembers,
    StringTable strings,
    AlignmentSettings settings)
{
    /// <summary>Every finding of the graph at <paramref name="asOf"/>, in the spec's order.</summary>
    public List<Finding> All(DateOnly asOf)
    {
        var findings = new List<Finding>();
        for (var i = 0; i < nodes.End; i++)
        {
            if (nodes.IsAlive(i)) AddNodeFindings(i, nodes.Anchored[i], findings);
        }

        foreach (var key in keyMembers.NonEmptyGroups()) AddKeyFindings(key, findings);
        foreach (var owner in ownerMembers.NonEmptyGroups()) AddOwnerFindings(owner, asOf, findings);
        findings.Sort();
        return findings;
    }

    /// <summary>
    /// The findings about goal <paramref name="i"/> alone, judged with <paramref name="anchored"/> as its anchoring
    /// (a change set reads a goal's findings as they were after its flag was flipped).
    /// </summary>
    public void AddNodeFindings(int i, bool anchored, List<Finding> sink)
    {
        var counted = nodes.IsCounted(i);
        var parents = parentEdges.Items(i);
        if (counted)
        {
            if (!anchored) sink.Add(Orphan(i));
            AddExcludedParent(i, parents, sink);
            AddPeriodMismatches(i, parents, sink);
            if (IsUnsupported(i)) sink.Add(Unsupported(i));
            if (nodes.HasMetric(i)) AddUnitMismatches(i, parents, sink);
        }

        AddLevelInversions(i, parents, sink);
        if (nodes.Aggregates[i]) AddTargetShortfall(i, sink);
    }

    /// <summary>
    /// Written into one stack buffer rather than through a builder and an interpolation: a company objective's
    /// archive orphans hundreds of thousands of goals, and each message is then one allocation.
    /// </summary>
    public Finding Orphan(int i)
    {
        var parents = parentEdges.Items(i);
        var message = new DefaultInterpolatedStringHandler(0, 0, null, stackalloc char[256]);
        OrphanMessages.AppendStart(ref message, nodes.Id[i]!);
        if (parents.Length == 0)
        {
            message.AppendLiteral("it has no parent and is not a company-level goal: align it to a goal above it");
        }
        else if (AnyCountedParent(parents))
        {
            message.AppendLiteral(OrphanMessages.ChainStops);
            var first = true;
            foreach (var e in parents)
            {
                if (!nodes.IsCounted(edges.Parent[e])) continue;
                if (!first) message.AppendLiteral(", ");
                first = false;
                OrphanMessages.AppendQuoted(ref message, nodes.Id[edges.Parent[e]]!);
            }

            message.AppendLiteral(")");
        }
        else
        {
            message.AppendLiteral("every parent is excluded (");
            for (var k = 0; k < parents.Length; k++)
            {
                var p = edges.Parent[parents[k]];
                if (k > 0) message.AppendLiteral(", ");
                OrphanMessages.AppendQuoted(ref message, nodes.Id[p]!);
                message.AppendLiteral(" is ");
                message.AppendLiteral(StateNames[(int)nodes.State[p]]);
            }

            message.AppendLiteral("): re-align it or archive it too");
        }

        return new Finding(FindingCode.OrphanedGoal, nodes.Id[i]!, [], message.ToStringAndClear());
    }

    private bool AnyCountedParent(ReadOnlySpan<int> parentEdges)
    {
        foreach (var e in parentEdges)
        {
            if (nodes.IsCounted(edges.Parent[e])) return true;
        }

        return false;
    }

    private static readonly string[] StateNames = [.. Enum.GetNames<GoalState>().Select(n => n.ToLowerInvariant())];

    private void AddExcludedParent(int i, ReadOnlySpan<int> parents, List<Finding> sink)
    {
        List<string>? excluded = null;
        foreach (var e in parents)
        {
            var p = edges.Parent[e];
            if (!nodes.IsCounted(p)) (excluded ??= []).Add(nodes.Id[p]!);
        }

        if (excluded is null) return;
        excluded.Sort(StringComparer.Ordinal);
        sink.Add(new Finding(FindingCode.ExcludedParent, nodes.Id[i]!, excluded,
            $"goal '{nodes.Id[i]}' is aligned to excluded goal(s) {string.Join(", ", excluded.Select(x => $"'{x}'"))}, which count for nothing: re-align it"));
    }

    private void AddPeriodMismatches(int i, ReadOnlySpan<int> parents, List<Finding> sink)
    {
        if (nodes.ResolvedPeriod(i) is not { } own) return;
        foreach (var e in parents)
        {
            var p = edges.Parent[e];
            if (!nodes.IsCounted(p) || nodes.ResolvedPeriod(p) is not { } theirs || theirs.Contains(own)) continue;
            sink.Add(new Finding(FindingCode.PeriodMismatch, nodes.Id[i]!, [nodes.Id[p]!],
                $"goal '{nodes.Id[i]}' runs {own}, outside its parent '{nodes.Id[p]}' ({theirs})"));
        }
    }

    private void AddLevelInversions(int i, ReadOnlySpan<int> parents, List<Finding> sink)
    {
        if (nodes.OwnLevel[i] == NodeTable.NoLevel) return;
        foreach (var e in parents)
        {
            var p = edges.Parent[e];
            if (nodes.OwnLevel[p] == NodeTable.NoLevel || nodes.OwnLevel[i] >= nodes.OwnLevel[p]) continue;
            sink.Add(new Finding(FindingCode.LevelInversion, nodes.Id[i]!, [nodes.Id[p]!],
                $"goal '{nodes.Id[i]}' ({LevelName(nodes.OwnLevel[i])}) is aligned under '{nodes.Id[p]}' ({LevelName(nodes.OwnLevel[p])}), a lower level"));
        }
    }

    private static string LevelName(sbyte level) => ((GoalLevel)level).ToString().ToLowerInvariant();

    private bool IsUnsupported(int i)
    {
        if (!double.IsNaN(nodes.Progress[i].Override)) return false;
        if (nodes.HasMetric(i) && !nodes.Aggregates[i]) return false;
        foreach (var e in childEdges.Items(i))
        {
            var c = edges.Child[e];
            if (nodes.HasMetric(i) ? nodes.IsSumming(edges, e, c, i) : edges.Contributes[e] && nodes.IsCounted(c)) return false;
        }

        return true;
    }

    private Finding Unsupported(int i) =>
        new(FindingCode.UnsupportedGoal, nodes.Id[i]!, [],
            nodes.HasMetric(i)
                ? $"goal '{nodes.Id[i]}' sums its children's values but has no summing child (a contributing, counted child with a metric in its unit): its progress cannot move"
                : $"goal '{nodes.Id[i]}' has no metric and no contributing child: its progress cannot move; add key results or a metric");

    private void AddUnitMismatches(int i, ReadOnlySpan<int> parents, List<Finding> sink)
    {
        foreach (var e in parents)
        {
            var p = edges.Parent[e];
            if (!edges.Contributes[e] || !nodes.Aggregates[p] || nodes.Unit[p] == nodes.Unit[i]) continue;
            sink.Add(new Finding(FindingCode.UnitMismatch, nodes.Id[i]!, [nodes.Id[p]!],
                $"goal '{nodes.Id[i]}' measures in {UnitName(i)} but '{nodes.Id[p]}' sums {UnitName(p)}: it is left out of the sum"));
        }
    }

    private string UnitName(int i) => strings[nodes.Unit[i]] is { } unit ? $"'{unit}'" : "no unit";

    private void AddTargetShortfall(int i, List<Finding> sink)
    {
        var direction = (MetricDirection)nodes.Direction[i];
        if (direction is not (MetricDirection.Increase or MetricDirection.Decrease)) return;
        var sum = 0.0;
        List<string>? parts = null;
        foreach (var e in childEdges.Items(i))
        {
            var c = edges.Child[e];
            if (!nodes.IsSumming(edges, e, c, i)) continue;
            if ((MetricDirection)nodes.Direction[c] != direction) return;
            sum += nodes.Metric[c].Target;
            (parts ??= []).Add(nodes.Id[c]!);
        }

        if (parts is null) return;
        var target = nodes.Metric[i].Target;
        var shortfall = direction == MetricDirection.Increase ? sum < target : sum > target;
        if (!shortfall) return;
        parts.Sort(StringComparer.Ordinal);
        sink.Add(new Finding(FindingCode.TargetShortfall, nodes.Id[i]!, parts,
            $"the targets of the parts of '{nodes.Id[i]}' add up to {sum:R}, short of its own target {target:R}: the parts as planned cannot reach the whole"));
    }

    public void AddKeyFindings(int key, List<Finding> sink)
    {
        if (!keyMembers.HasMoreThan(key, 1)) return;
        var lower = new List<(int Node, double Bound)>();
        var upper = new List<(int Node, double Bound)>();
        foreach (var m in keyMembers.Members(key))
        {
            if (!nodes.IsCounted(m)) continue;
            switch ((MetricDirection)nodes.Direction[m])
            {
                case MetricDirection.Increase or MetricDirection.AtLeast: lower.Add((m, nodes.Metric[m].Target)); break;
                case MetricDirection.Decrease or MetricDirection.AtMost: upper.Add((m, nodes.Metric[m].Target)); break;
            }
        }

        foreach (var (low, a) in lower)
        {
            foreach (var (high, b) in upper)
            {
                if (!(b < a) || !PeriodsOverlap(low, high)) continue;
                var (first, second) = string.CompareOrdinal(nodes.Id[low], nodes.Id[high]) < 0 ? (low, high) : (high, low);
                sink.Add(new Finding(FindingCode.ConflictingMetrics, nodes.Id[first]!, [nodes.Id[second]!],
                    $"'{nodes.Id[low]}' needs {strings[key]} >= {a:R} while '{nodes.Id[high]}' needs {strings[key]} <= {b:R} in overlapping periods: both cannot be met"));
            }
        }
    }

    private bool PeriodsOverlap(int a, int b) =>
        nodes.ResolvedPeriod(a) is not { } pa || nodes.ResolvedPeriod(b) is not { } pb || pa.Overlaps(pb);

    public void AddOwnerFindings(int owner, DateOnly asOf, List<Finding> sink)
    {
        if (!ownerMembers.HasMoreThan(owner, settings.MaxObjectivesPerOwner)) return;
        var current = new List<string>();
        foreach (var m in ownerMembers.Members(owner))
        {
            if (nodes.Type[m] == GoalType.Objective && nodes.IsCounted(m) && nodes.ResolvedPeriod(m) is { } p && p.Start <= asOf && asOf <= p.End)
            {
                current.Add(nodes.Id[m]!);
            }
        }

        if (current.Count <= settings.MaxObjectivesPerOwner) return;
        current.Sort(StringComparer.Ordinal);
        sink.Add(new Finding(FindingCode.OverloadedOwner, current[0], current[1..],
            $"owner '{strings[owner]}' holds {current.Count} current objectives, more than {settings.MaxObjectivesPerOwner}"));
    }
}

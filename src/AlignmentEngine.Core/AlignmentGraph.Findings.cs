using AlignmentEngine.Core.Graph;
using AlignmentEngine.Core.Rules;
using System.Runtime.CompilerServices;

namespace AlignmentEngine.Core;

/// <summary>
/// The warning and info findings of a valid graph (semantics.md, "Findings"). Each finding about a goal depends
/// only on that goal and its direct parents and children ("node findings"), or on one metric key or one owner
/// ("group findings"); that locality is what lets a change recompute only the findings around what it touched.
/// </summary>
public sealed partial class AlignmentGraph
{
    /// <summary>Every finding of the graph at <paramref name="asOf"/>, in the spec's order.</summary>
    public IReadOnlyList<Finding> Analyze(DateOnly asOf)
    {
        var findings = new List<Finding>();
        for (var i = 0; i < _nodes.End; i++)
        {
            if (IsAlive(i)) AddNodeFindings(i, findings);
        }

        foreach (var key in _keyMembers.NonEmptyGroups()) AddKeyFindings(key, findings);
        foreach (var owner in _ownerMembers.NonEmptyGroups()) AddOwnerFindings(owner, asOf, findings);
        findings.Sort();
        return findings;
    }

    private void AddNodeFindings(int i, List<Finding> sink)
    {
        var counted = IsCounted(i);
        var parents = _parentEdges.Items(i);
        if (counted)
        {
            if (!_nodes.Anchored[i]) sink.Add(Orphan(i));
            AddExcludedParent(i, parents, sink);
            AddPeriodMismatches(i, parents, sink);
            if (IsUnsupported(i)) sink.Add(Unsupported(i));
            if (HasMetric(i)) AddUnitMismatches(i, parents, sink);
        }

        AddLevelInversions(i, parents, sink);
        if (_nodes.Aggregates[i]) AddTargetShortfall(i, sink);
    }

    /// <summary>
    /// Written into one stack buffer rather than through a builder and an interpolation: a company objective's
    /// archive orphans hundreds of thousands of goals, and each message is then one allocation.
    /// </summary>
    private Finding Orphan(int i)
    {
        var parents = _parentEdges.Items(i);
        var message = new DefaultInterpolatedStringHandler(0, 0, null, stackalloc char[256]);
        OrphanMessages.AppendStart(ref message, _nodes.Id[i]!);
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
                if (!IsCounted(_edges.Parent[e])) continue;
                if (!first) message.AppendLiteral(", ");
                first = false;
                OrphanMessages.AppendQuoted(ref message, _nodes.Id[_edges.Parent[e]]!);
            }

            message.AppendLiteral(")");
        }
        else
        {
            message.AppendLiteral("every parent is excluded (");
            for (var k = 0; k < parents.Length; k++)
            {
                var p = _edges.Parent[parents[k]];
                if (k > 0) message.AppendLiteral(", ");
                OrphanMessages.AppendQuoted(ref message, _nodes.Id[p]!);
                message.AppendLiteral(" is ");
                message.AppendLiteral(StateNames[(int)_nodes.State[p]]);
            }

            message.AppendLiteral("): re-align it or archive it too");
        }

        return new Finding(FindingCode.OrphanedGoal, _nodes.Id[i]!, [], message.ToStringAndClear());
    }

    private bool AnyCountedParent(ReadOnlySpan<int> parentEdges)
    {
        foreach (var e in parentEdges)
        {
            if (IsCounted(_edges.Parent[e])) return true;
        }

        return false;
    }

    private static readonly string[] StateNames = [.. Enum.GetNames<GoalState>().Select(n => n.ToLowerInvariant())];

    private void AddExcludedParent(int i, ReadOnlySpan<int> parents, List<Finding> sink)
    {
        List<string>? excluded = null;
        foreach (var e in parents)
        {
            var p = _edges.Parent[e];
            if (!IsCounted(p)) (excluded ??= []).Add(_nodes.Id[p]!);
        }

        if (excluded is null) return;
        excluded.Sort(StringComparer.Ordinal);
        sink.Add(new Finding(FindingCode.ExcludedParent, _nodes.Id[i]!, excluded,
            $"goal '{_nodes.Id[i]}' is aligned to excluded goal(s) {string.Join(", ", excluded.Select(x => $"'{x}'"))}, which count for nothing: re-align it"));
    }

    private void AddPeriodMismatches(int i, ReadOnlySpan<int> parents, List<Finding> sink)
    {
        if (ResolvedPeriod(i) is not { } own) return;
        foreach (var e in parents)
        {
            var p = _edges.Parent[e];
            if (!IsCounted(p) || ResolvedPeriod(p) is not { } theirs || theirs.Contains(own)) continue;
            sink.Add(new Finding(FindingCode.PeriodMismatch, _nodes.Id[i]!, [_nodes.Id[p]!],
                $"goal '{_nodes.Id[i]}' runs {own}, outside its parent '{_nodes.Id[p]}' ({theirs})"));
        }
    }

    private void AddLevelInversions(int i, ReadOnlySpan<int> parents, List<Finding> sink)
    {
        if (_nodes.OwnLevel[i] == NodeTable.NoLevel) return;
        foreach (var e in parents)
        {
            var p = _edges.Parent[e];
            if (_nodes.OwnLevel[p] == NodeTable.NoLevel || _nodes.OwnLevel[i] >= _nodes.OwnLevel[p]) continue;
            sink.Add(new Finding(FindingCode.LevelInversion, _nodes.Id[i]!, [_nodes.Id[p]!],
                $"goal '{_nodes.Id[i]}' ({LevelName(_nodes.OwnLevel[i])}) is aligned under '{_nodes.Id[p]}' ({LevelName(_nodes.OwnLevel[p])}), a lower level"));
        }
    }

    private static string LevelName(sbyte level) => ((GoalLevel)level).ToString().ToLowerInvariant();

    private bool IsUnsupported(int i)
    {
        if (!double.IsNaN(_nodes.Override[i])) return false;
        if (HasMetric(i) && !_nodes.Aggregates[i]) return false;
        foreach (var e in _childEdges.Items(i))
        {
            var c = _edges.Child[e];
            if (HasMetric(i) ? IsSumming(e, c, i) : _edges.Contributes[e] && IsCounted(c)) return false;
        }

        return true;
    }

    private Finding Unsupported(int i) =>
        new(FindingCode.UnsupportedGoal, _nodes.Id[i]!, [],
            HasMetric(i)
                ? $"goal '{_nodes.Id[i]}' sums its children's values but has no summing child (a contributing, counted child with a metric in its unit): its progress cannot move"
                : $"goal '{_nodes.Id[i]}' has no metric and no contributing child: its progress cannot move; add key results or a metric");

    private void AddUnitMismatches(int i, ReadOnlySpan<int> parents, List<Finding> sink)
    {
        foreach (var e in parents)
        {
            var p = _edges.Parent[e];
            if (!_edges.Contributes[e] || !_nodes.Aggregates[p] || _nodes.Unit[p] == _nodes.Unit[i]) continue;
            sink.Add(new Finding(FindingCode.UnitMismatch, _nodes.Id[i]!, [_nodes.Id[p]!],
                $"goal '{_nodes.Id[i]}' measures in {UnitName(i)} but '{_nodes.Id[p]}' sums {UnitName(p)}: it is left out of the sum"));
        }
    }

    private string UnitName(int i) => _strings[_nodes.Unit[i]] is { } unit ? $"'{unit}'" : "no unit";

    private void AddTargetShortfall(int i, List<Finding> sink)
    {
        var direction = (MetricDirection)_nodes.Direction[i];
        if (direction is not (MetricDirection.Increase or MetricDirection.Decrease)) return;
        var sum = 0.0;
        List<string>? parts = null;
        foreach (var e in _childEdges.Items(i))
        {
            var c = _edges.Child[e];
            if (!IsSumming(e, c, i)) continue;
            if ((MetricDirection)_nodes.Direction[c] != direction) return;
            sum += _nodes.MetricTarget[c];
            (parts ??= []).Add(_nodes.Id[c]!);
        }

        if (parts is null) return;
        var target = _nodes.MetricTarget[i];
        var shortfall = direction == MetricDirection.Increase ? sum < target : sum > target;
        if (!shortfall) return;
        parts.Sort(StringComparer.Ordinal);
        sink.Add(new Finding(FindingCode.TargetShortfall, _nodes.Id[i]!, parts,
            $"the targets of the parts of '{_nodes.Id[i]}' add up to {sum:R}, short of its own target {target:R}: the parts as planned cannot reach the whole"));
    }

    private void AddKeyFindings(int key, List<Finding> sink)
    {
        if (!_keyMembers.HasMoreThan(key, 1)) return;
        var lower = new List<(int Node, double Bound)>();
        var upper = new List<(int Node, double Bound)>();
        foreach (var m in _keyMembers.Members(key))
        {
            if (!IsCounted(m)) continue;
            switch ((MetricDirection)_nodes.Direction[m])
            {
                case MetricDirection.Increase or MetricDirection.AtLeast: lower.Add((m, _nodes.MetricTarget[m])); break;
                case MetricDirection.Decrease or MetricDirection.AtMost: upper.Add((m, _nodes.MetricTarget[m])); break;
            }
        }

        foreach (var (low, a) in lower)
        {
            foreach (var (high, b) in upper)
            {
                if (!(b < a) || !PeriodsOverlap(low, high)) continue;
                var (first, second) = string.CompareOrdinal(_nodes.Id[low], _nodes.Id[high]) < 0 ? (low, high) : (high, low);
                sink.Add(new Finding(FindingCode.ConflictingMetrics, _nodes.Id[first]!, [_nodes.Id[second]!],
                    $"'{_nodes.Id[low]}' needs {_strings[key]} >= {a:R} while '{_nodes.Id[high]}' needs {_strings[key]} <= {b:R} in overlapping periods: both cannot be met"));
            }
        }
    }

    private bool PeriodsOverlap(int a, int b) =>
        ResolvedPeriod(a) is not { } pa || ResolvedPeriod(b) is not { } pb || pa.Overlaps(pb);

    private void AddOwnerFindings(int owner, DateOnly asOf, List<Finding> sink)
    {
        if (!_ownerMembers.HasMoreThan(owner, Settings.MaxObjectivesPerOwner)) return;
        var current = new List<string>();
        foreach (var m in _ownerMembers.Members(owner))
        {
            if (_nodes.Type[m] == GoalType.Objective && IsCounted(m) && ResolvedPeriod(m) is { } p && p.Start <= asOf && asOf <= p.End)
            {
                current.Add(_nodes.Id[m]!);
            }
        }

        if (current.Count <= Settings.MaxObjectivesPerOwner) return;
        current.Sort(StringComparer.Ordinal);
        sink.Add(new Finding(FindingCode.OverloadedOwner, current[0], current[1..],
            $"owner '{_strings[owner]}' holds {current.Count} current objectives, more than {Settings.MaxObjectivesPerOwner}"));
    }
}

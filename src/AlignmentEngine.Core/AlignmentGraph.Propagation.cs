using System.Diagnostics;
using System.Runtime.CompilerServices;
using AlignmentEngine.Core.Graph;
using AlignmentEngine.Core.Rules;

namespace AlignmentEngine.Core;

/// <summary>
/// Derived state. Resolved periods, levels and anchoring flow down from parents; values and cascaded sums
/// flow up from children. A change queues the nodes it touched; each queue is drained in rank order (parents
/// before children going down, children before parents going up), so every node is recomputed once, after
/// everything it depends on, and a node whose result did not change stops the wave.
/// </summary>
public sealed partial class AlignmentGraph
{
    private readonly RankBuckets _topDown = new();
    private readonly RankBuckets _bottomUp = new();

    // Seeds are queued only when propagation starts: structural operations may still raise ranks before that.
    private readonly List<int> _downSeeds = [];
    private readonly List<int> _upSeeds = [];

    // The goals of a downward wave whose children PassAnchoringDown has still to look at.
    private readonly Stack<int> _anchoringOnly = new();

    /// <summary>What recomputing a goal from its parents changed.</summary>
    private enum DownChange
    {
        None,

        /// <summary>Its anchoring alone: its period and level are as they were.</summary>
        Anchoring,

        /// <summary>Its resolved period or level (and maybe its anchoring).</summary>
        Resolved,
    }

    /// <summary>Queues the parents of a goal whose value or effective current changed, marking its term in their group sums.</summary>
    private void QueueParentsBottomUp(int node)
    {
        foreach (var e in _parentEdges.Items(node))
        {
            var parent = _edges.Parent[e];
            MarkTermChanged(parent, e);
            Queue(_bottomUp, parent);
        }
    }

    /// <summary>The term of edge <paramref name="edge"/> in <paramref name="parent"/>'s sums changed: its stored group is re-summed on next use.</summary>
    private void MarkTermChanged(int parent, int edge)
    {
        if (_groupSums.Holds(parent)) _groupSums.ChildChanged(parent, _childEdges.IndexOf(parent, edge));
    }

    /// <summary>The terms of <paramref name="child"/> in all its parents' sums changed (its state or its metric).</summary>
    private void MarkTermsChanged(int child)
    {
        foreach (var e in _parentEdges.Items(child)) MarkTermChanged(_edges.Parent[e], e);
    }

    private void QueueChildrenTopDown(int node)
    {
        foreach (var e in _childEdges.Items(node)) Queue(_topDown, _edges.Child[e]);
    }

    /// <summary>Queues <paramref name="node"/> unless it already waits in a queue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Queue(RankBuckets queue, int node)
    {
        if (_journal.FirstTouch(node, Touch.Queued)) queue.Add(node, _nodes.Rank[node]);
    }

    private void SeedParentsUp(int node)
    {
        foreach (var e in _parentEdges.Items(node)) _upSeeds.Add(_edges.Parent[e]);
    }

    private void Propagate()
    {
        // Down first: anchoring and periods do not depend on values, and values do not depend on them. Ranks
        // order each wave, so a node taken from a queue is never queued again by the same wave: the Queued mark
        // it drops when taken is free for the upward wave. Only seeds can name a goal the change set removed after
        // seeding it; every other node a wave reaches is reached through a live edge, and a removed goal has none
        // (it loses its parent edges, and a goal with children cannot be removed), so the waves need not ask.
        QueueSeeds(_downSeeds, _topDown);
        while (_topDown.TryTakeLowest(out var nodes))
        {
            foreach (var node in nodes)
            {
                Taken(node);
                switch (RecomputeTopDown(node))
                {
                    case DownChange.Anchoring:
                        PassAnchoringDown(node);
                        break;
                    case DownChange.Resolved:
                        QueueChildrenTopDown(node);
                        break;
                }
            }
        }

        QueueSeeds(_upSeeds, _bottomUp);
        while (_bottomUp.TryTakeHighest(out var nodes))
        {
            var lookahead = nodes.Length >= LookaheadFrom;
            for (var k = 0; k < nodes.Length; k++)
            {
                if (lookahead) PrefetchUpward(nodes, k);
                var node = nodes[k];
                Taken(node);
                if (RecomputeBottomUp(node)) QueueParentsBottomUp(node);
            }
        }
    }

    /// <summary>Queues the seeds still live (a goal removed after it was seeded is not) and forgets them.</summary>
    private void QueueSeeds(List<int> seeds, RankBuckets queue)
    {
        foreach (var node in seeds)
        {
            if (IsAlive(node)) Queue(queue, node);
        }

        seeds.Clear();
    }

    /// <summary><paramref name="node"/> was taken from a queue: it may be queued again (by the other wave).</summary>
    private void Taken(int node)
    {
        _journal.Untouch(node, Touch.Queued);
        Debug.Assert(IsAlive(node), "a wave reaches live goals only");
    }

    /// <summary>
    /// The children of a goal whose anchoring alone flipped, and theirs. A child whose only parent that goal is, and
    /// that waits in no queue for a change of its own, keeps its period and level (they come from that parent, which
    /// kept them), and its anchoring is the parent's if it is counted: it is flipped here, and its children are looked
    /// at in turn, without the rank queue. An archived company objective's subtree, whole branches of single-parent
    /// goals, is re-anchored this way. Other children (several parents, or queued already) go through the queue.
    /// </summary>
    private void PassAnchoringDown(int node)
    {
        var pending = _anchoringOnly;
        pending.Push(node);
        while (pending.TryPop(out var parent))
        {
            var passed = IsCounted(parent) && _nodes.Anchored[parent];
            foreach (var e in _childEdges.Items(parent))
            {
                var child = _edges.Child[e];
                if (_parentEdges.Count(child) != 1 || _journal.TouchedBy(child, Touch.Queued))
                {
                    Queue(_topDown, child);
                    continue;
                }

                var anchored = passed && IsCounted(child);
                if (anchored == _nodes.Anchored[child]) continue;
                _journal.SetAnchoring(child, anchored, onlyParent: parent);
                pending.Push(child);
            }
        }
    }

    /// <summary>Resolved period and level, and anchoring, from the parents; what of them changed.</summary>
    private DownChange RecomputeTopDown(int i)
    {
        var parents = _parentEdges.Items(i);
        int start, end;
        sbyte level;
        if (_nodes.OwnDays[i] is { Start: not NodeTable.NoDay } own)
        {
            (start, end) = own;
        }
        else if (parents.Length > 0)
        {
            (start, end) = _nodes.ResolvedDays[_edges.Parent[parents[0]]];
        }
        else if (DefaultPeriod is { } d)
        {
            (start, end) = (d.Start.DayNumber, d.End.DayNumber);
        }
        else
        {
            (start, end) = (NodeTable.NoDay, NodeTable.NoDay);
        }

        level = _nodes.OwnLevel[i] != NodeTable.NoLevel || parents.Length == 0 ? _nodes.OwnLevel[i] : _nodes.ResolvedLevel[_edges.Parent[parents[0]]];

        var anchored = false;
        if (IsCounted(i))
        {
            if (parents.Length == 0)
            {
                anchored = level == (sbyte)GoalLevel.Company;
            }
            else
            {
                foreach (var e in parents)
                {
                    var p = _edges.Parent[e];
                    if (IsCounted(p) && _nodes.Anchored[p])
                    {
                        anchored = true;
                        break;
                    }
                }
            }
        }

        if (_nodes.ResolvedDays[i] == new DayRange(start, end) && level == _nodes.ResolvedLevel[i])
        {
            if (anchored == _nodes.Anchored[i]) return DownChange.None;

            // Anchoring alone decides nothing but this goal's own ORPHANED_GOAL: a wave that only re-anchors (an
            // archived company objective's whole subtree) saves one flag per goal, not its row and its neighbours' findings.
            _journal.SetAnchoring(i, anchored);
            return DownChange.Anchoring;
        }

        BeforeFindingChange(i);
        _journal.SetResolved(i, start, end, level, anchored);
        return DownChange.Resolved;
    }

    /// <summary>Value, attainment and effective current from the metric or the children. True when any changed.</summary>
    private bool RecomputeBottomUp(int i)
    {
        var (value, attainment, effective) = Evaluate(i, stored: true);
        ref readonly var now = ref _nodes.Progress[i];
        if (value.Equals(_nodes.Value[i]) && attainment.Equals(now.Attainment) && effective.Equals(now.EffectiveCurrent)) return false;
        _journal.SetValues(i, value, attainment, effective);
        return true;
    }

    /// <summary>
    /// semantics.md, "Progress of one goal" and "Cascaded sums", for one node whose children are current. The
    /// children are summed by <see cref="BlockedSummation"/>'s rule; with <paramref name="stored"/> (the upward wave)
    /// a wide parent's sums come from its group sums, brought up to date, otherwise all are added afresh: the same bits.
    /// </summary>
    private (double Value, double Attainment, double Effective) Evaluate(int i, bool stored = false)
    {
        double value, attainment, effective = double.NaN;
        if (HasMetric(i))
        {
            ref readonly var metric = ref _nodes.Metric[i];
            double current;
            if (_nodes.Aggregates[i])
            {
                var terms = new CascadedChildTerms(_childEdges.Items(i), _nodes, _edges, i);
                var (sum, summing) = SumChildren(i, GroupSums.Kind.CascadedSum, ref terms, stored);
                current = summing > 0 ? sum : metric.Start;
                effective = current;
            }
            else
            {
                current = metric.Current;
                effective = double.IsNaN(current) ? metric.Start : current;
            }

            attainment = MetricRules.Attainment((MetricDirection)_nodes.Direction[i], metric.Start, metric.Target, current);
            value = MetricRules.Clamp01(attainment);
        }
        else
        {
            var terms = new WeightedChildTerms(_childEdges.Items(i), _edges, _nodes.Value);
            var (weighted, weights) = SumChildren(i, GroupSums.Kind.WeightedMean, ref terms, stored);
            value = weights > 0 ? weighted / weights : 0;
            attainment = value;
        }

        var overridden = _nodes.Progress[i].Override;
        if (!double.IsNaN(overridden))
        {
            value = overridden;
            if (!HasMetric(i)) attainment = value;
        }

        return (value, attainment, effective);
    }

    /// <summary>A goal's children summed by <see cref="BlockedSummation"/>'s rule, from its stored group sums when <paramref name="stored"/> and it is wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (double A, double B) SumChildren<T>(int i, GroupSums.Kind kind, ref T terms, bool stored)
        where T : IChildTerms, allows ref struct =>
        stored && GroupSums.Stores(terms.Count) ? _groupSums.Sum(i, kind, ref terms) : BlockedSummation.Sum(ref terms);

    /// <summary>A summing child: contributing, counted, with a metric in the aggregating parent's unit.</summary>
    private bool IsSumming(int edge, int child, int parent) => _nodes.IsSumming(_edges, edge, child, parent);

    /// <summary>Every derived field from scratch, in index order; valid only when index order is topological.</summary>
    private void ComputeAllInTopologicalOrder()
    {
        for (var i = 0; i < _nodes.End; i++)
        {
            var maxParentRank = -1;
            foreach (var e in _parentEdges.Items(i)) maxParentRank = Math.Max(maxParentRank, _nodes.Rank[_edges.Parent[e]]);
            _nodes.Rank[i] = maxParentRank + 1;
            _nodes.ResolvedDays[i] = new DayRange(int.MaxValue, int.MaxValue); // never equal to a real value: forces the write
            RecomputeTopDown(i);
        }

        EvaluateInputs();
        RollUpAll();
    }
}

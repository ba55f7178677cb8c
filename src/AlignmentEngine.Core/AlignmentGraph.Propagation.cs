using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    private void QueueParentsBottomUp(int node)
    {
        foreach (var e in _parentEdges.Items(node)) Queue(_bottomUp, _edges.Parent[e]);
    }

    private void QueueChildrenTopDown(int node)
    {
        foreach (var e in _childEdges.Items(node)) Queue(_topDown, _edges.Child[e]);
    }

    /// <summary>Queues <paramref name="node"/> unless it already waits in a queue.</summary>
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
        // it drops when taken is free for the upward wave.
        foreach (var node in _downSeeds) Queue(_topDown, node);
        _downSeeds.Clear();
        while (_topDown.TryTakeLowest(out var nodes))
        {
            foreach (var node in nodes)
            {
                _journal.Untouch(node, Touch.Queued);
                if (!IsAlive(node)) continue;
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

        foreach (var node in _upSeeds) Queue(_bottomUp, node);
        _upSeeds.Clear();
        while (_bottomUp.TryTakeHighest(out var nodes))
        {
            var lookahead = nodes.Length >= LookaheadFrom;
            for (var k = 0; k < nodes.Length; k++)
            {
                if (lookahead) PrefetchUpward(nodes, k);
                var node = nodes[k];
                _journal.Untouch(node, Touch.Queued);
                if (IsAlive(node) && RecomputeBottomUp(node)) QueueParentsBottomUp(node);
            }
        }
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
        if (_nodes.OwnStart[i] != NodeTable.NoDay)
        {
            (start, end) = (_nodes.OwnStart[i], _nodes.OwnEnd[i]);
        }
        else if (parents.Length > 0)
        {
            var primary = _edges.Parent[parents[0]];
            (start, end) = (_nodes.ResolvedStart[primary], _nodes.ResolvedEnd[primary]);
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

        if (start == _nodes.ResolvedStart[i] && end == _nodes.ResolvedEnd[i] && level == _nodes.ResolvedLevel[i])
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
        var (value, attainment, effective) = Evaluate(i);
        if (value.Equals(_nodes.Value[i]) && attainment.Equals(_nodes.Attainment[i]) && effective.Equals(_nodes.EffectiveCurrent[i])) return false;
        _journal.SetValues(i, value, attainment, effective);
        return true;
    }

    /// <summary>semantics.md, "Progress of one goal" and "Cascaded sums", for one node whose children are current.</summary>
    private (double Value, double Attainment, double Effective) Evaluate(int i)
    {
        double value, attainment, effective = double.NaN;
        if (HasMetric(i))
        {
            double current;
            if (_nodes.Aggregates[i])
            {
                var sum = 0.0;
                var any = false;
                foreach (var e in _childEdges.Items(i))
                {
                    var c = _edges.Child[e];
                    if (IsSumming(e, c, i))
                    {
                        sum += _nodes.EffectiveCurrent[c];
                        any = true;
                    }
                }

                current = any ? sum : _nodes.MetricStart[i];
                effective = current;
            }
            else
            {
                current = _nodes.MetricCurrent[i];
                effective = double.IsNaN(current) ? _nodes.MetricStart[i] : current;
            }

            attainment = MetricRules.Attainment((MetricDirection)_nodes.Direction[i], _nodes.MetricStart[i], _nodes.MetricTarget[i], current);
            value = MetricRules.Clamp01(attainment);
        }
        else
        {
            // The hottest loop of a check-in (a company objective re-averages a hundred children in order, for the result
            // to equal a full recomputation bit for bit), read without bounds checks: every item of a child list is a
            // live edge and every live edge's child a node of the table, so each index is inside its array.
            ref var signedWeights = ref MemoryMarshal.GetArrayDataReference(_edges.SignedWeight);
            ref var children = ref MemoryMarshal.GetArrayDataReference(_edges.Child);
            ref var values = ref MemoryMarshal.GetArrayDataReference(_nodes.Value);
            double weighted = 0, weights = 0;
            foreach (var e in _childEdges.Items(i))
            {
                var w = Unsafe.Add(ref signedWeights, e);
                if (w > 0)
                {
                    weighted += w * Unsafe.Add(ref values, Unsafe.Add(ref children, e));
                    weights += w;
                }
            }

            value = weights > 0 ? weighted / weights : 0;
            attainment = value;
        }

        if (!double.IsNaN(_nodes.Override[i]))
        {
            value = _nodes.Override[i];
            if (!HasMetric(i)) attainment = value;
        }

        return (value, attainment, effective);
    }

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
            _nodes.ResolvedStart[i] = _nodes.ResolvedEnd[i] = int.MaxValue; // never equal to a real value: forces the write
            RecomputeTopDown(i);
        }

        EvaluateInputs();
        RollUpAll();
    }
}

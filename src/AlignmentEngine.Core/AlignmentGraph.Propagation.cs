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

    private void QueueParentsBottomUp(int node)
    {
        foreach (var e in _parentEdges.Items(node)) Queue(_bottomUp, _edgeParent[e]);
    }

    private void QueueChildrenTopDown(int node)
    {
        foreach (var e in _childEdges.Items(node)) Queue(_topDown, _edgeChild[e]);
    }

    /// <summary>Queues <paramref name="node"/> unless it already waits in a queue.</summary>
    private void Queue(RankBuckets queue, int node)
    {
        if (FirstTouch(node, Touch.Queued)) queue.Add(node, _rank[node]);
    }

    private void SeedParentsUp(int node)
    {
        foreach (var e in _parentEdges.Items(node)) _upSeeds.Add(_edgeParent[e]);
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
                Untouch(node, Touch.Queued);
                if (IsAlive(node) && RecomputeTopDown(node)) QueueChildrenTopDown(node);
            }
        }

        foreach (var node in _upSeeds) Queue(_bottomUp, node);
        _upSeeds.Clear();
        while (_bottomUp.TryTakeHighest(out var nodes))
        {
            foreach (var node in nodes)
            {
                Untouch(node, Touch.Queued);
                if (IsAlive(node) && RecomputeBottomUp(node)) QueueParentsBottomUp(node);
            }
        }
    }

    /// <summary>Resolved period and level, and anchoring, from the parents. True when any of them changed.</summary>
    private bool RecomputeTopDown(int i)
    {
        var parents = _parentEdges.Items(i);
        int start, end;
        sbyte level;
        if (_ownStart[i] != NoDay)
        {
            (start, end) = (_ownStart[i], _ownEnd[i]);
        }
        else if (parents.Length > 0)
        {
            var primary = _edgeParent[parents[0]];
            (start, end) = (_resStart[primary], _resEnd[primary]);
        }
        else if (DefaultPeriod is { } d)
        {
            (start, end) = (d.Start.DayNumber, d.End.DayNumber);
        }
        else
        {
            (start, end) = (NoDay, NoDay);
        }

        level = _ownLevel[i] != NoLevel || parents.Length == 0 ? _ownLevel[i] : _resLevel[_edgeParent[parents[0]]];

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
                    var p = _edgeParent[e];
                    if (IsCounted(p) && _anchored[p])
                    {
                        anchored = true;
                        break;
                    }
                }
            }
        }

        if (start == _resStart[i] && end == _resEnd[i] && level == _resLevel[i])
        {
            if (anchored == _anchored[i]) return false;

            // Anchoring alone decides nothing but this goal's own ORPHANED_GOAL: a wave that only re-anchors (an
            // archived company objective's whole subtree) saves one flag per goal, not its row and its neighbours' findings.
            SaveAnchoring(i);
            _anchored[i] = anchored;
            return true;
        }

        BeforeFindingChange(i);
        _resStart[i] = start;
        _resEnd[i] = end;
        _resLevel[i] = level;
        _anchored[i] = anchored;
        return true;
    }

    /// <summary>Value, attainment and effective current from the metric or the children. True when any changed.</summary>
    private bool RecomputeBottomUp(int i)
    {
        var (value, attainment, effective) = Evaluate(i);
        if (value.Equals(_value[i]) && attainment.Equals(_attainment[i]) && effective.Equals(_effCurrent[i])) return false;
        SaveValues(i);
        _value[i] = value;
        _attainment[i] = attainment;
        _effCurrent[i] = effective;
        return true;
    }

    /// <summary>semantics.md, "Progress of one goal" and "Cascaded sums", for one node whose children are current.</summary>
    private (double Value, double Attainment, double Effective) Evaluate(int i)
    {
        double value, attainment, effective = double.NaN;
        if (HasMetric(i))
        {
            double current;
            if (_aggregates[i])
            {
                var sum = 0.0;
                var any = false;
                foreach (var e in _childEdges.Items(i))
                {
                    var c = _edgeChild[e];
                    if (IsSumming(e, c, i))
                    {
                        sum += _effCurrent[c];
                        any = true;
                    }
                }

                current = any ? sum : _mStart[i];
                effective = current;
            }
            else
            {
                current = _mCurrent[i];
                effective = double.IsNaN(current) ? _mStart[i] : current;
            }

            attainment = MetricRules.Attainment((MetricDirection)_direction[i], _mStart[i], _mTarget[i], current);
            value = MetricRules.Clamp01(attainment);
        }
        else
        {
            double weighted = 0, weights = 0;
            foreach (var e in _childEdges.Items(i))
            {
                var w = _edgeSignedWeight[e];
                if (w > 0)
                {
                    weighted += w * _value[_edgeChild[e]];
                    weights += w;
                }
            }

            value = weights > 0 ? weighted / weights : 0;
            attainment = value;
        }

        if (!double.IsNaN(_override[i]))
        {
            value = _override[i];
            if (!HasMetric(i)) attainment = value;
        }

        return (value, attainment, effective);
    }

    /// <summary>A summing child: contributing, counted, with a metric in the aggregating parent's unit.</summary>
    private bool IsSumming(int edge, int child, int parent) =>
        EdgeCounts(edge) && HasMetric(child) && _unit[child] == _unit[parent];

    /// <summary>Every derived field from scratch, in index order; valid only when index order is topological.</summary>
    private void ComputeAllInTopologicalOrder()
    {
        for (var i = 0; i < _nodeEnd; i++)
        {
            var maxParentRank = -1;
            foreach (var e in _parentEdges.Items(i)) maxParentRank = Math.Max(maxParentRank, _rank[_edgeParent[e]]);
            _rank[i] = maxParentRank + 1;
            _resStart[i] = _resEnd[i] = int.MaxValue; // never equal to a real value: forces the write
            RecomputeTopDown(i);
        }

        EvaluateInputs();
        RollUpAll();
    }
}

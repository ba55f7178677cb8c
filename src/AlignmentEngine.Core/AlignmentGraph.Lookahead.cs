using AlignmentEngine.Core.Graph;

namespace AlignmentEngine.Core;

/// <summary>
/// Cache hints for the long loops of a large change set: its operations, a rank of the upward wave, its deltas. Each
/// goal of such a loop sits somewhere in million-row columns, so working on it waits on a cache miss per column, and
/// on more for what those columns point to (its list, the edge, the parent's mark and rank). These methods name the
/// lines a goal a few places ahead in the loop will read, in stages: its own columns first, then, once those have
/// arrived, what they point to. The misses of several goals then overlap instead of following one another. Hints
/// change nothing that is computed; a loop shorter than <see cref="LookaheadFrom"/> takes none, so a single
/// check-in does not pay for them.
/// </summary>
public sealed partial class AlignmentGraph
{
    /// <summary>Loops at least this long take hints.</summary>
    private const int LookaheadFrom = 64;

    // How many places ahead each stage works. A stage reads what an earlier one asked for, so each stage is nearer
    // than the one before; the first is far enough for a miss to memory to arrive while the goals between are done.
    private const int ColumnsAhead = 16;
    private const int ListsAhead = 11;
    private const int EdgesAhead = 7;
    private const int ParentsAhead = 3;

    // How many of a goal's children are hinted, their edges and then their values.
    private const int ChildrenAhead = 8;

    // The id hash of the check-ins a stage has hinted and the slot it probably finds, by position modulo the ring.
    private const int Ring = 32;
    private readonly uint[] _aheadHashes = new uint[Ring];
    private readonly int[] _aheadSlots = new int[Ring];

    /// <summary>Hints for operation <paramref name="k"/> of a long change set: the check-ins ahead of it.</summary>
    private void PrefetchOperations(IReadOnlyList<GoalChange> changes, int k)
    {
        var count = changes.Count;
        if (k + ColumnsAhead + ListsAhead < count && changes[k + ColumnsAhead + ListsAhead] is CheckIn far)
        {
            // Its id's characters, which the hash reads.
            CacheHint.Prefetch(far.Id);
        }

        if (k + ColumnsAhead < count && changes[k + ColumnsAhead] is CheckIn hashed)
        {
            _aheadHashes[(k + ColumnsAhead) % Ring] = _index.PrefetchHome(hashed.Id);
        }

        if (k + ListsAhead < count && changes[k + ListsAhead] is CheckIn)
        {
            // What a check-in reads and writes: the id it compares, the metric it checks, the mark and values it saves.
            var i = _index.Probable(_aheadHashes[(k + ListsAhead) % Ring]);
            _aheadSlots[(k + ListsAhead) % Ring] = i;
            if (i >= 0)
            {
                PrefetchValueRow(i, withMetric: true);
                CacheHint.Prefetch(_nodes.Id, i);
            }
        }

        if (k + ParentsAhead < count && changes[k + ParentsAhead] is CheckIn near && _aheadSlots[(k + ParentsAhead) % Ring] is var slot and >= 0
            && _nodes.Id[slot] is { } id && !ReferenceEquals(id, near.Id))
        {
            // The indexed id's characters, when they are another string than the check-in's.
            CacheHint.Prefetch(id);
        }
    }

    /// <summary>Hints for goal <paramref name="k"/> of a long rank of the upward wave: the goals ahead of it in the rank.</summary>
    private void PrefetchUpward(ReadOnlySpan<int> nodes, int k)
    {
        if (k + ColumnsAhead < nodes.Length)
        {
            var i = nodes[k + ColumnsAhead];
            PrefetchValueRow(i, withMetric: false);
            _parentEdges.PrefetchSlot(i);
            _childEdges.PrefetchSlot(i);
        }

        if (k + ListsAhead < nodes.Length)
        {
            var i = nodes[k + ListsAhead];
            _parentEdges.PrefetchItems(i);
            if (HasMetric(i))
            {
                PrefetchMetric(i);
            }
            else
            {
                _childEdges.PrefetchItems(i);
            }
        }

        if (k + EdgesAhead < nodes.Length)
        {
            var i = nodes[k + EdgesAhead];
            foreach (var e in _parentEdges.Items(i)) CacheHint.Prefetch(_edges.Parent, e);
            if (!HasMetric(i))
            {
                // The weights and children of the edges it averages over (a wide parent's others follow in order).
                foreach (var e in FirstChildEdges(i))
                {
                    CacheHint.Prefetch(_edges.SignedWeight, e);
                    CacheHint.Prefetch(_edges.Child, e);
                }
            }
        }

        if (k + ParentsAhead < nodes.Length)
        {
            // The parents it will queue if it changes: their marks and ranks.
            var i = nodes[k + ParentsAhead];
            foreach (var e in _parentEdges.Items(i))
            {
                var parent = _edges.Parent[e];
                _journal.PrefetchMark(parent);
                CacheHint.Prefetch(_nodes.Rank, parent);
            }

            // The values of the children it averages.
            if (!HasMetric(i))
            {
                foreach (var e in FirstChildEdges(i)) CacheHint.Prefetch(_nodes.Value, _edges.Child[e]);
            }
        }
    }

    /// <summary>The first of a goal's child edges, as many as are hinted.</summary>
    private ReadOnlySpan<int> FirstChildEdges(int i)
    {
        var edges = _childEdges.Items(i);
        return edges[..Math.Min(edges.Length, ChildrenAhead)];
    }

    /// <summary>
    /// What a value write reads of a goal: whether it has a metric, its touch mark, and the value columns it
    /// saves (<see cref="ChangeJournal"/>) and compares; <paramref name="withMetric"/>, its metric too (a check-in
    /// saves its current; the upward wave reads it only for a goal with a metric, hinted once that is known).
    /// </summary>
    private void PrefetchValueRow(int i, bool withMetric)
    {
        _journal.PrefetchMark(i);
        CacheHint.Prefetch(_nodes.Direction, i);
        if (withMetric) PrefetchMetric(i);
        CacheHint.Prefetch(_nodes.Value, i);
        CacheHint.Prefetch(_nodes.Progress, i);
    }

    /// <summary>What evaluating or checking in a goal with a metric reads of it: its numbers and whether it sums its children.</summary>
    private void PrefetchMetric(int i)
    {
        CacheHint.Prefetch(_nodes.Metric, i);
        CacheHint.Prefetch(_nodes.Aggregates, i);
    }

    /// <summary>Hints for value-only delta <paramref name="k"/> of a long result: the goals of the deltas ahead of it.</summary>
    private void PrefetchValueDeltas(ReadOnlySpan<ValueRow> savedValues, int k)
    {
        if (k + ColumnsAhead >= savedValues.Length) return;
        ref readonly var values = ref savedValues[k + ColumnsAhead];
        var i = values.Node;
        if (!values.ComputedOnly)
        {
            // Whether its row was saved too, and its value now (a save by the upward wave holds both answers).
            _journal.PrefetchMark(i);
            CacheHint.Prefetch(_nodes.Value, i);
        }

        CacheHint.Prefetch(_nodes.State, i);
        CacheHint.Prefetch(_nodes.ResolvedDays, i);
        CacheHint.Prefetch(_nodes.Id, i);
        _idOrder.Prefetch(i);
    }
}

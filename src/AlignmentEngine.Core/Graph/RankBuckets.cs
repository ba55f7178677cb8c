using System.Runtime.CompilerServices;

namespace AlignmentEngine.Core.Graph;

/// <summary>
/// The propagation queue: nodes bucketed by rank, taken a whole rank at a time (lowest first going down the
/// graph, highest first going up). Ranks are small integers (a tree's depth), so a bucket per rank makes adding
/// O(1) where a priority queue paid a logarithm per node. The caller adds a node at most once while it waits (the
/// graph's Queued touch mark), so a taken bucket needs no sort to drop duplicates: sorting a re-anchoring wave's
/// 172k nodes cost more than recomputing them. Buckets are linked lists in three flat arrays that only grow;
/// nothing is allocated per node.
/// </summary>
internal sealed class RankBuckets
{
    // Entries are 1-based so that a zeroed head means an empty bucket.
    private int[] _head = new int[16];
    private int[] _entryNode = new int[16];
    private int[] _entryNext = new int[16];
    private int[] _taken = new int[16];
    private int _entries;
    private int _pending;
    private int _lowest = int.MaxValue;
    private int _highest = -1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int node, int rank)
    {
        if (rank >= _head.Length || _entries + 1 == _entryNode.Length) Grow(rank);
        _entries++;
        _entryNode[_entries] = node;
        _entryNext[_entries] = _head[rank];
        _head[rank] = _entries;
        _pending++;
        _lowest = Math.Min(_lowest, rank);
        _highest = Math.Max(_highest, rank);
    }

    /// <summary>The nodes of the lowest queued rank, in the order added; false when nothing is queued.</summary>
    public bool TryTakeLowest(out ReadOnlySpan<int> nodes)
    {
        while (_pending > 0 && _head[_lowest] == 0) _lowest++;
        return TryTake(_lowest, out nodes);
    }

    /// <summary>The nodes of the highest queued rank, in the order added; false when nothing is queued.</summary>
    public bool TryTakeHighest(out ReadOnlySpan<int> nodes)
    {
        while (_pending > 0 && _head[_highest] == 0) _highest--;
        return TryTake(_highest, out nodes);
    }

    /// <summary>Forgets everything queued (a propagation cut short by an exception).</summary>
    public void Clear()
    {
        if (_highest >= 0) Array.Clear(_head, 0, _highest + 1);
        Reset();
    }

    private bool TryTake(int rank, out ReadOnlySpan<int> nodes)
    {
        if (_pending == 0)
        {
            Reset();
            nodes = default;
            return false;
        }

        var count = 0;
        for (var entry = _head[rank]; entry != 0; entry = _entryNext[entry])
        {
            if (count == _taken.Length) Array.Resize(ref _taken, _taken.Length * 2);
            _taken[count++] = _entryNode[entry];
        }

        _head[rank] = 0;
        _pending -= count;
        // A bucket's list runs newest first; reversed, a wave takes its nodes in the order their parents (or
        // children) were taken, which for a tree numbered in topological order is close to memory order.
        var taken = _taken.AsSpan(0, count);
        if (count > 1) taken.Reverse(); // a check-in's wave takes ranks of one node: no call for them
        nodes = taken;
        return true;
    }

    /// <summary>Room for <paramref name="rank"/> and one more entry (apart from <see cref="Add"/>, which is inlined where the wave queues).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int rank)
    {
        if (rank >= _head.Length) Array.Resize(ref _head, Math.Max(rank + 1, _head.Length * 2));
        if (_entries + 1 == _entryNode.Length)
        {
            Array.Resize(ref _entryNode, _entryNode.Length * 2);
            Array.Resize(ref _entryNext, _entryNext.Length * 2);
        }
    }

    private void Reset()
    {
        _entries = 0;
        _pending = 0;
        _lowest = int.MaxValue;
        _highest = -1;
    }
}

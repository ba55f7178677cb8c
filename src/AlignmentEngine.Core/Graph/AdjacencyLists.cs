using System.Numerics;
using System.Runtime.CompilerServices;

namespace AlignmentEngine.Core.Graph;

/// <summary>
/// One ordered list of ints per node, packed in a single array (a compressed sparse row layout that can grow).
/// Built contiguous in node order, so full passes read it sequentially; a list that outgrows its slot moves to
/// the end of the pool, and the pool is compacted when more than half of it is holes. No per-node objects.
/// </summary>
/// <remarks>
/// A list's capacity is derived, not stored (4 bytes per node and direction): below <c>_tightEnd</c> lists were
/// laid out back to back with room for exactly their count at the time, so their capacity is taken as their
/// current count; above it every list was moved there by <see cref="Grow"/> with a power-of-two capacity, so it
/// is the power of two that holds the count. Both are at most the room really reserved, never more; a list
/// that shrank just moves a little earlier than it had to.
/// </remarks>
internal sealed class AdjacencyLists
{
    // Each node's list as where it starts in the pool and how many items it holds, side by side: reading a list costs
    // one cache line per node, not one in each of two arrays (a wave reaches goals scattered over the table).
    private ListSlot[] _lists;
    private int[] _pool;
    private int _used;
    private int _live;
    private int _tightEnd;

    public AdjacencyLists(int nodeCapacity, int itemCapacity)
    {
        _lists = LargePages.Allocate<ListSlot>(nodeCapacity);
        _pool = LargePages.Allocate<int>(Math.Max(itemCapacity, 4));
    }

    public int Count(int node) => _lists[node].Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<int> Items(int node)
    {
        var list = _lists[node];
        return _pool.AsSpan(list.Start, list.Count);
    }

    public int this[int node, int position] => _pool[_lists[node].Start + position];

    /// <summary>A hint: where <paramref name="node"/>'s list is will be read soon (<see cref="CacheHint"/>).</summary>
    public void PrefetchSlot(int node) => CacheHint.Prefetch(_lists, node);

    /// <summary>A hint: <paramref name="node"/>'s items will be read soon. Reads where the list is (best hinted before).</summary>
    public void PrefetchItems(int node) => CacheHint.Prefetch(_pool, _lists[node].Start);

    /// <summary>Asks again for 2 MB pages under the slots and the pool (<see cref="LargePages"/>).</summary>
    public void BackWithLargePages()
    {
        LargePages.TryBack(_lists);
        LargePages.TryBack(_pool);
    }

    /// <summary>Lays the lists out contiguously from per-node counts (bulk build); returns each node's fill cursor.</summary>
    public int[] Reserve(ReadOnlySpan<int> counts)
    {
        var cursor = new int[counts.Length];
        EnsureNodes(counts.Length);
        var total = 0;
        for (var i = 0; i < counts.Length; i++) total += counts[i];
        if (_pool.Length < total) _pool = LargePages.Allocate<int>(total);
        var at = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            _lists[i] = new ListSlot(at, counts[i]);
            cursor[i] = at;
            at += counts[i];
        }

        _used = at;
        _live = at;
        _tightEnd = at;
        return cursor;
    }

    /// <summary>Writes directly into a slot laid out by <see cref="Reserve"/>.</summary>
    public void SetAt(int poolIndex, int item) => _pool[poolIndex] = item;

    public void EnsureNodes(int nodeCapacity)
    {
        if (_lists.Length >= nodeCapacity) return;
        LargePages.Grow(ref _lists, Math.Max(nodeCapacity, _lists.Length * 2));
    }

    public void Insert(int node, int position, int item)
    {
        if (_lists[node].Count == Capacity(node)) Grow(node);
        var (s, n) = _lists[node];
        Array.Copy(_pool, s + position, _pool, s + position + 1, n - position);
        _pool[s + position] = item;
        _lists[node].Count = n + 1;
        _live++;
    }

    public void Add(int node, int item) => Insert(node, _lists[node].Count, item);

    /// <summary>Removes the item at <paramref name="position"/>, keeping the order of the rest.</summary>
    public void RemoveAt(int node, int position)
    {
        var (s, n) = _lists[node];
        Array.Copy(_pool, s + position + 1, _pool, s + position, n - position - 1);
        _lists[node].Count = n - 1;
        _live--;
    }

    public int IndexOf(int node, int item) => Items(node).IndexOf(item);

    /// <summary>Forgets a node's list (its slot becomes a hole).</summary>
    public void Clear(int node)
    {
        _live -= _lists[node].Count;
        _lists[node].Count = 0;
    }

    private int Capacity(int node)
    {
        var (start, count) = _lists[node];
        if (count == 0 || start < _tightEnd) return count;
        return (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, count));
    }

    private void Grow(int node)
    {
        var newCapacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, _lists[node].Count + 1));
        if (_used + newCapacity > _pool.Length)
        {
            if (_live * 2 < _used)
            {
                Compact();
            }

            if (_used + newCapacity > _pool.Length)
            {
                LargePages.Grow(ref _pool, Math.Max(_pool.Length * 2, _used + newCapacity));
            }
        }

        var (start, count) = _lists[node]; // after a compaction, which moves it
        Array.Copy(_pool, start, _pool, _used, count);
        _lists[node].Start = _used;
        _used += newCapacity;
    }

    private void Compact()
    {
        var fresh = LargePages.Allocate<int>(_pool.Length);
        var at = 0;
        for (var i = 0; i < _lists.Length; i++)
        {
            var (start, count) = _lists[i];
            Array.Copy(_pool, start, fresh, at, count);
            _lists[i].Start = at;
            at += count;
        }

        _pool = fresh;
        _used = at;
        _tightEnd = at;
    }

    /// <summary>Where a node's list starts in the pool, and its length.</summary>
    private record struct ListSlot(int Start, int Count);
}

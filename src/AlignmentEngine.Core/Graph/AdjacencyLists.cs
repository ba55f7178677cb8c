using System.Numerics;

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
    private int[] _start;
    private int[] _count;
    private int[] _pool;
    private int _used;
    private int _live;
    private int _tightEnd;

    public AdjacencyLists(int nodeCapacity, int itemCapacity)
    {
        _start = new int[nodeCapacity];
        _count = new int[nodeCapacity];
        _pool = new int[Math.Max(itemCapacity, 4)];
    }

    public int Count(int node) => _count[node];

    public ReadOnlySpan<int> Items(int node) => _pool.AsSpan(_start[node], _count[node]);

    public int this[int node, int position] => _pool[_start[node] + position];

    /// <summary>Lays the lists out contiguously from per-node counts (bulk build); returns each node's fill cursor.</summary>
    public int[] Reserve(ReadOnlySpan<int> counts)
    {
        var cursor = new int[counts.Length];
        EnsureNodes(counts.Length);
        var total = 0;
        for (var i = 0; i < counts.Length; i++) total += counts[i];
        if (_pool.Length < total) _pool = new int[total];
        var at = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            _start[i] = at;
            cursor[i] = at;
            _count[i] = counts[i];
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
        if (_start.Length >= nodeCapacity) return;
        var size = Math.Max(nodeCapacity, _start.Length * 2);
        Array.Resize(ref _start, size);
        Array.Resize(ref _count, size);
    }

    public void Insert(int node, int position, int item)
    {
        if (_count[node] == Capacity(node)) Grow(node);
        var s = _start[node];
        var n = _count[node];
        Array.Copy(_pool, s + position, _pool, s + position + 1, n - position);
        _pool[s + position] = item;
        _count[node] = n + 1;
        _live++;
    }

    public void Add(int node, int item) => Insert(node, _count[node], item);

    /// <summary>Removes the item at <paramref name="position"/>, keeping the order of the rest.</summary>
    public void RemoveAt(int node, int position)
    {
        var s = _start[node];
        var n = _count[node];
        Array.Copy(_pool, s + position + 1, _pool, s + position, n - position - 1);
        _count[node] = n - 1;
        _live--;
    }

    public int IndexOf(int node, int item) => Items(node).IndexOf(item);

    /// <summary>Forgets a node's list (its slot becomes a hole).</summary>
    public void Clear(int node)
    {
        _live -= _count[node];
        _count[node] = 0;
    }

    private int Capacity(int node)
    {
        var count = _count[node];
        if (count == 0 || _start[node] < _tightEnd) return count;
        return (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, count));
    }

    private void Grow(int node)
    {
        var newCapacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, _count[node] + 1));
        if (_used + newCapacity > _pool.Length)
        {
            if (_live * 2 < _used)
            {
                Compact();
            }

            if (_used + newCapacity > _pool.Length)
            {
                Array.Resize(ref _pool, Math.Max(_pool.Length * 2, _used + newCapacity));
            }
        }

        Array.Copy(_pool, _start[node], _pool, _used, _count[node]);
        _start[node] = _used;
        _used += newCapacity;
    }

    private void Compact()
    {
        var fresh = new int[_pool.Length];
        var at = 0;
        for (var i = 0; i < _start.Length; i++)
        {
            Array.Copy(_pool, _start[i], fresh, at, _count[i]);
            _start[i] = at;
            at += _count[i];
        }

        _pool = fresh;
        _used = at;
        _tightEnd = at;
    }
}

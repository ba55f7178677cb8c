namespace AlignmentEngine.Core.Graph;

/// <summary>
/// Each live goal's position among all goal ids in ordinal order: one int per node, so that a change result's
/// deltas are put in id order by comparing ints instead of strings scattered over the heap. Ranked when the graph
/// is built and whenever every id is sorted anyway (<see cref="Rank"/>); removing a goal keeps the others' order, but
/// adding one leaves it without a rank, so a change set that adds or removes goals marks the order stale and results
/// sort their ids as strings until the order is ranked again.
/// </summary>
internal sealed class IdOrder(int capacity)
{
    private int[] _rank = LargePages.Allocate<int>(capacity);

    /// <summary>Whether every live goal's rank is its position among the live goals' ids.</summary>
    public bool IsCurrent { get; private set; }

    /// <summary>The rank of live goal <paramref name="node"/>; meaningful only while <see cref="IsCurrent"/>.</summary>
    public int this[int node] => _rank[node];

    /// <summary>A hint: the rank of <paramref name="node"/> will be read soon (<see cref="CacheHint"/>).</summary>
    public void Prefetch(int node) => CacheHint.Prefetch(_rank, node);

    public void EnsureNodes(int capacity)
    {
        if (_rank.Length < capacity) LargePages.Grow(ref _rank, capacity);
    }

    /// <summary>Asks again for 2 MB pages under the ranks (<see cref="LargePages"/>).</summary>
    public void BackWithLargePages() => LargePages.TryBack(_rank);

    /// <summary>Marks the ranks out of date (goals were added or removed).</summary>
    public void Invalidate() => IsCurrent = false;

    /// <summary>Ranks every live goal of <paramref name="ids"/> (null: a free slot) and returns their ids in order.</summary>
    public string[] Rank(string?[] ids, int end, int count)
    {
        var live = new string[count];
        var nodes = new int[count];
        var k = 0;
        for (var i = 0; i < end; i++)
        {
            if (ids[i] is not { } id) continue;
            live[k] = id;
            nodes[k++] = i;
        }

        var order = OrdinalOrder.Of(live);
        var sorted = new string[count];
        for (var position = 0; position < order.Length; position++)
        {
            _rank[nodes[order[position]]] = position;
            sorted[position] = live[order[position]];
        }

        IsCurrent = true;
        return sorted;
    }
}

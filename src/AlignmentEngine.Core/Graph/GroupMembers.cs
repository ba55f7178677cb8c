namespace AlignmentEngine.Core.Graph;

/// <summary>
/// Which nodes belong to each group (an owner, a metric key), with at most one group per node: an intrusive
/// singly linked list per group, threaded through one <c>next</c> slot per node. At a million goals there are
/// about 170,000 owners of a handful of goals each, where a set object per group cost ~250 bytes; this costs
/// 4 bytes per node and 4 per group. Removal and counting walk the group, which every change touching a group
/// already does to recompute that group's findings.
/// </summary>
internal sealed class GroupMembers
{
    private const int None = -1;

    private int[] _next;
    private int[] _head = [];

    public GroupMembers(int nodeCapacity)
    {
        _next = LargePages.Allocate<int>(nodeCapacity);
    }

    /// <summary>Whether the group has more than <paramref name="limit"/> members; walks at most limit + 1 of them.</summary>
    public bool HasMoreThan(int group, int limit)
    {
        var seen = 0;
        foreach (var _ in Members(group))
        {
            if (++seen > limit) return true;
        }

        return false;
    }

    public void EnsureNodes(int nodeCapacity)
    {
        if (_next.Length < nodeCapacity) LargePages.Grow(ref _next, Math.Max(nodeCapacity, _next.Length * 2));
    }

    /// <summary>Asks again for 2 MB pages under the links between members (<see cref="LargePages"/>).</summary>
    public void BackWithLargePages() => LargePages.TryBack(_next);

    /// <summary>Moves <paramref name="node"/> from group <paramref name="from"/> to group <paramref name="to"/>; -1 is no group.</summary>
    public void Move(int node, int from, int to)
    {
        if (from == to) return;
        if (from >= 0) Remove(node, from);
        if (to >= 0) Add(node, to);
    }

    /// <summary>The groups that have at least one member, in group order.</summary>
    public IEnumerable<int> NonEmptyGroups()
    {
        for (var g = 0; g < _head.Length; g++)
        {
            if (_head[g] != None) yield return g;
        }
    }

    public Enumerator Members(int group) => new(this, group < _head.Length ? _head[group] : None);

    private void Add(int node, int group)
    {
        if (group >= _head.Length)
        {
            var size = Math.Max(group + 1, _head.Length * 2);
            var old = _head.Length;
            Array.Resize(ref _head, size);
            _head.AsSpan(old).Fill(None);
        }

        _next[node] = _head[group];
        _head[group] = node;
    }

    private void Remove(int node, int group)
    {
        if (_head[group] == node)
        {
            _head[group] = _next[node];
        }
        else
        {
            var at = _head[group];
            while (_next[at] != node) at = _next[at];
            _next[at] = _next[node];
        }
    }

    /// <summary>Allocation-free walk over one group's members (most recently added first).</summary>
    public struct Enumerator(GroupMembers groups, int first)
    {
        private int _at = None;
        private bool _started;

        public readonly int Current => _at;

        public bool MoveNext()
        {
            _at = _started ? groups._next[_at] : first;
            _started = true;
            return _at != None;
        }

        public readonly Enumerator GetEnumerator() => this;
    }
}

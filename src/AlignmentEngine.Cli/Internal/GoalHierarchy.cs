namespace AlignmentEngine.Cli.Internal;

/// <summary>One line of a goal hierarchy walked depth first.</summary>
/// <param name="Id">The goal shown here.</param>
/// <param name="Depth">0 for a root.</param>
/// <param name="Summarised">
/// 0 for a goal shown as itself; otherwise the display depth limit was reached and this entry stands for
/// that many goals: <paramref name="Id"/> and everything below it.
/// </param>
internal readonly record struct HierarchyEntry(string Id, int Depth, int Summarised);

/// <summary>
/// Goals under their primary parent, roots first, siblings in the order given: the shape of the text tree and
/// of the HTML report. A goal whose primary parent is not among the ids (an unknown parent) is a root.
/// </summary>
internal sealed class GoalHierarchy
{
    /// <summary>
    /// Deeper levels are summarised: a tree indented further than this is unreadable anyway, and a
    /// 100,000-level chain must neither take a renderer down nor print gigabytes of indentation.
    /// </summary>
    public const int MaxDepth = 25;

    private readonly IReadOnlyList<string> _ids;
    private readonly List<string> _roots = [];
    private readonly Dictionary<string, List<string>> _children = new(StringComparer.Ordinal);

    /// <param name="ids">Every goal once, in the order siblings are to be shown.</param>
    /// <param name="primaryParent">A goal's primary parent, or null for none.</param>
    public GoalHierarchy(IReadOnlyList<string> ids, Func<string, string?> primaryParent)
    {
        _ids = ids;
        var known = new HashSet<string>(ids, StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var parent = primaryParent(id);
            if (parent is null || !known.Contains(parent)) _roots.Add(id);
            else if (_children.TryGetValue(parent, out var siblings)) siblings.Add(id);
            else _children[parent] = [id];
        }
    }

    public bool HasChildren(string id) => _children.ContainsKey(id);

    /// <summary>
    /// Every goal once, depth first, each after its parent. Walked with an explicit stack: the goal graph may be
    /// arbitrarily deep, the call stack is not. A valid tree has no cycle, so every goal hangs below a root;
    /// should one not (a cycle in an invalid tree), it still comes out, at the top level after the roots.
    /// </summary>
    public IEnumerable<HierarchyEntry> Walk(int maxDepth = MaxDepth)
    {
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<(string Id, int Depth)>();
        foreach (var seed in _roots.Concat(_ids))
        {
            if (placed.Contains(seed)) continue;
            pending.Push((seed, 0));
            while (pending.Count > 0)
            {
                var (id, depth) = pending.Pop();
                if (!placed.Add(id)) continue;
                if (depth == maxDepth)
                {
                    yield return new HierarchyEntry(id, depth, PlaceBelow(id, placed) + 1);
                    continue;
                }

                yield return new HierarchyEntry(id, depth, 0);
                if (!_children.TryGetValue(id, out var below)) continue;
                for (var i = below.Count - 1; i >= 0; i--) pending.Push((below[i], depth + 1));
            }
        }
    }

    /// <summary>Marks every goal below <paramref name="id"/> as placed (they are summarised, not shown) and counts them.</summary>
    private int PlaceBelow(string id, HashSet<string> placed)
    {
        var count = 0;
        var pending = new Stack<string>();
        pending.Push(id);
        while (pending.Count > 0)
        {
            if (!_children.TryGetValue(pending.Pop(), out var below)) continue;
            foreach (var child in below)
            {
                if (!placed.Add(child)) continue;
                count++;
                pending.Push(child);
            }
        }

        return count;
    }
}

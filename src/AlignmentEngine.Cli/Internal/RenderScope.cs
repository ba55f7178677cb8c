using System.Globalization;
using AlignmentEngine.Core;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// Which goals a picture draws: a subtree (<c>--root ID</c>, else every root) down to a depth (<c>--depth N</c>
/// levels below it), following primary parents. Without <c>--depth</c>, a tree too large to read in one picture
/// is drawn down to the deepest level that keeps it within <see cref="MaxDrawn"/> goals, and the picture says
/// what was left out.
/// </summary>
internal sealed class RenderScope
{
    /// <summary>About what one picture can show legibly on a screen or in a pull request.</summary>
    public const int MaxDrawn = 150;

    private RenderScope(IReadOnlyList<GoalDefinition> goals, string? note)
    {
        Goals = goals;
        Note = note;
    }

    /// <summary>The goals drawn, in document order.</summary>
    public IReadOnlyList<GoalDefinition> Goals { get; }

    /// <summary>What was left out and how to draw it, or null when everything asked for is drawn.</summary>
    public string? Note { get; }

    /// <summary>The scope, or null when <paramref name="root"/> names no goal of the tree.</summary>
    public static RenderScope? Select(EvaluatedTree tree, string? root, int? depth)
    {
        if (root is not null && !tree.Contains(root)) return null;
        var children = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var starts = new List<string>();
        foreach (var goal in tree.Goals)
        {
            var parent = goal.Parents.Count > 0 && tree.Contains(goal.Parents[0].ParentId) ? goal.Parents[0].ParentId : null;
            if (parent is null) starts.Add(goal.Id);
            else if (children.TryGetValue(parent, out var list)) list.Add(goal.Id);
            else children[parent] = [goal.Id];
        }

        if (root is not null) starts = [root];

        // Levels below the start, breadth first; a goal reached twice (a cycle in an invalid tree) is counted once.
        var seen = new HashSet<string>(starts, StringComparer.Ordinal);
        var levels = new List<List<string>> { starts };
        while (true)
        {
            var next = new List<string>();
            foreach (var id in levels[^1])
            {
                if (!children.TryGetValue(id, out var below)) continue;
                next.AddRange(below.Where(seen.Add));
            }

            if (next.Count == 0) break;
            levels.Add(next);
        }

        if (root is null && seen.Count < tree.Goals.Count)
        {
            // Goals on a cycle hang below no root: drawn at the top, as the text tree does.
            levels[0].AddRange(tree.Goals.Select(g => g.Id).Where(seen.Add));
        }

        var total = levels.Sum(l => l.Count);
        var shown = depth ?? DeepestThatFits(levels);
        var drawn = new HashSet<string>(levels.Take(shown + 1).SelectMany(l => l), StringComparer.Ordinal);
        var leftOut = total - drawn.Count;
        var from = root is null ? "the roots" : $"'{root}'";
        var note = leftOut == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"{drawn.Count:N0} of {total:N0} goals drawn ({shown} level{(shown == 1 ? "" : "s")} below {from}); {leftOut:N0} deeper goals left out: draw a subtree with --root ID --depth N");
        return new RenderScope([.. tree.Goals.Where(g => drawn.Contains(g.Id))], note);
    }

    private static int DeepestThatFits(List<List<string>> levels)
    {
        var count = levels[0].Count;
        var depth = 0;
        while (depth + 1 < levels.Count && count + levels[depth + 1].Count <= MaxDrawn) count += levels[++depth].Count;
        return depth;
    }
}

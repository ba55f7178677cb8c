using System.Collections;
using System.Runtime.CompilerServices;
using AlignmentEngine.Core.Rules;

namespace AlignmentEngine.Core;

/// <summary>
/// One side of a change result's findings (appeared or disappeared), in the spec's order: the findings diffed in
/// full, plus the ORPHANED_GOAL findings of goals whose anchoring alone the change flipped. Those are kept as the
/// goal's node and the nodes of its counted parents, with the graph's id column as it was when the result was made
/// (the graph copies that column before it next changes an id, so later changes do not reach it), and are written
/// and sorted only when the list is first read: a company objective's archive orphans hundreds of thousands of
/// goals, and a caller that wants only the count pays neither for their text nor for copying their ids.
/// </summary>
internal sealed class DeferredOrphanFindings : IReadOnlyList<Finding>
{
    private readonly List<Finding> _diffed;
    private readonly string?[] _ids;
    private readonly ChunkedInts _goals;
    private readonly ChunkedInts _throughStart;
    private readonly ChunkedInts _through;
    private readonly Lazy<List<Finding>> _all;

    /// <param name="diffed">Findings in the spec's order.</param>
    /// <param name="ids">The id of each node, as the graph held them when the result was made; never written after.</param>
    /// <param name="goals">Nodes of the goals orphaned through counted parents that are not anchored, in any order.</param>
    /// <param name="throughStart">Where each goal's counted parents start in <paramref name="through"/> (one more entry than goals).</param>
    /// <param name="through">The nodes of every goal's counted parents, one goal after the other, in the goal's edge order.</param>
    public DeferredOrphanFindings(List<Finding> diffed, string?[] ids, ChunkedInts goals, ChunkedInts throughStart, ChunkedInts through)
    {
        _diffed = diffed;
        _ids = ids;
        _goals = goals;
        _throughStart = throughStart;
        _through = through;
        _all = new Lazy<List<Finding>>(Write, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public int Count => _diffed.Count + _goals.Count;

    public Finding this[int index] => _all.Value[index];

    /// <summary>Adds the count of each code to <paramref name="counts"/> (indexed by code) without writing the deferred findings.</summary>
    public void CountInto(int[] counts)
    {
        foreach (var finding in _diffed) counts[(int)finding.Code]++;
        counts[(int)FindingCode.OrphanedGoal] += _goals.Count;
    }

    public IEnumerator<Finding> GetEnumerator() => _all.Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private List<Finding> Write()
    {
        var goalIds = new string[_goals.Count];
        for (var k = 0; k < goalIds.Length; k++) goalIds[k] = _ids[_goals[k]]!;
        var order = OrdinalOrder.Of(goalIds);
        var orphans = new List<Finding>(order.Length);
        foreach (var k in order) orphans.Add(Orphan(goalIds[k], k));
        return Merge(_diffed, orphans);
    }

    private Finding Orphan(string goal, int k)
    {
        var message = new DefaultInterpolatedStringHandler(0, 0, null, stackalloc char[256]);
        OrphanMessages.AppendStart(ref message, goal);
        message.AppendLiteral(OrphanMessages.ChainStops);
        for (var p = _throughStart[k]; p < _throughStart[k + 1]; p++)
        {
            if (p > _throughStart[k]) message.AppendLiteral(", ");
            OrphanMessages.AppendQuoted(ref message, _ids[_through[p]]!);
        }

        message.AppendLiteral(")");
        return new Finding(FindingCode.OrphanedGoal, goal, [], message.ToStringAndClear());
    }
    /// <summary>Two lists in the spec's order, as one.</summary>
    private static List<Finding> Merge(List<Finding> a, List<Finding> b)
    {
        if (b.Count == 0) return a;
        if (a.Count == 0) return b;
        var merged = new List<Finding>(a.Count + b.Count);
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count) merged.Add(a[i].CompareTo(b[j]) <= 0 ? a[i++] : b[j++]);
        while (i < a.Count) merged.Add(a[i++]);
        while (j < b.Count) merged.Add(b[j++]);
        return merged;
    }
}

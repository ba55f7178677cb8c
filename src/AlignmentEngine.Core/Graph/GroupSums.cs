using System.Numerics;
using AlignmentEngine.Core.Rules;

namespace AlignmentEngine.Core.Graph;

/// <summary>
/// The stored group sums of wide parents (more than <see cref="StoredFrom"/> children), so that the upward wave
/// re-sums the group of the child that changed, then that group's group, and so on, instead of every child: by
/// <see cref="BlockedSummation"/>'s rule the result is the full sum bit for bit.
/// </summary>
/// <remarks>
/// Owned by the graph's upward wave. An entry is made the first time the wave evaluates a wide parent (full passes
/// and a built graph make none) and kept from then on. It stays right as long as every change of a term reaches it:
/// <list type="bullet">
/// <item>a child's value or effective current changing in the wave marks that child's group (<see cref="ChildChanged"/>);
/// the parent is queued by the same change and re-sums the marked groups when it is evaluated;</item>
/// <item>anything else a term depends on (the child list, an edge's weight or contributes flag, a child's counted
/// state or metric, the parent's own definition) forgets the entry (<see cref="Forget"/>): it is rebuilt, O(children),
/// on next use;</item>
/// <item>a change set that is rolled back forgets every entry it wrote (<see cref="Undo"/>), since the values they
/// summed are written back; a full pass forgets them all (<see cref="Clear"/>).</item>
/// </list>
/// </remarks>
internal sealed class GroupSums
{
    private readonly Dictionary<int, Entry> _entries = [];

    // A bit per node: whether it holds an entry. The wave asks this of every parent of every goal that changed, and
    // a 1,000,000-node bitmap (125 KB) stays in cache where the parents' lists would not.
    private ulong[] _held = [];

    // The entry found last: the wave marks a wide parent's group and sums that parent next, one lookup for both.
    private Entry? _last;

    // Entries the open change set wrote (marked, re-summed or made), forgotten if it is rolled back.
    private readonly List<Entry> _written = [];

    // The groups re-summed at one level, whose groups are re-summed at the next.
    private int[] _scratch = new int[64];

    /// <summary>What a parent's terms are: they are stored apart, and a parent that changes kind is summed afresh.</summary>
    public enum Kind
    {
        WeightedMean,
        CascadedSum,
    }

    /// <summary>
    /// Children from which a parent's group sums are stored. Below, adding every child afresh (by the same rule) costs
    /// no more than finding the entry, marking a group and re-summing it: a parent of 17 to 64 children re-sums 16 of
    /// them and 2 to 4 group sums from its entry, against all of them without.
    /// </summary>
    public const int StoredFrom = 4 * BlockedSummation.GroupSize;

    /// <summary>Whether a parent with <paramref name="children"/> children has its group sums stored.</summary>
    public static bool Stores(int children) => children > StoredFrom;

    /// <summary>Whether <paramref name="parent"/>'s group sums are stored.</summary>
    public bool Holds(int parent) => (uint)(parent >> 6) < (uint)_held.Length && (_held[parent >> 6] & (1UL << parent)) != 0;

    /// <summary>The term at <paramref name="position"/> of <paramref name="parent"/>'s child list changed: its group is re-summed on next use.</summary>
    public void ChildChanged(int parent, int position)
    {
        if (Find(parent) is not { } entry) return;
        var group = position / BlockedSummation.GroupSize;
        entry.Dirty[group >> 6] |= 1UL << (group & 63);
        entry.AnyDirty = true;
        Written(entry);
    }

    /// <summary>
    /// The two sums of <paramref name="parent"/>'s terms by <see cref="BlockedSummation"/>'s rule, from its stored
    /// group sums brought up to date, or made now.
    /// </summary>
    public (double A, double B) Sum<T>(int parent, Kind kind, ref T terms)
        where T : IChildTerms, allows ref struct
    {
        var entry = Find(parent);
        if (entry is null || entry.Kind != kind || entry.Positions != terms.Count)
        {
            entry = Make(parent, kind, ref terms);
            _entries[parent] = entry;
            _last = entry;
            Hold(parent, true);
            Written(entry);
        }
        else if (entry.AnyDirty)
        {
            Resum(entry, ref terms);
        }

        var pairs = entry.Pairs;
        return (pairs[^2], pairs[^1]);
    }

    /// <summary>Forgets <paramref name="parent"/>'s group sums: something other than a child's value changed its terms.</summary>
    public void Forget(int parent)
    {
        if (_last?.Parent == parent) _last = null;
        if (_entries.Remove(parent)) Hold(parent, false);
    }

    /// <summary>The change set is kept: the entries it wrote stay.</summary>
    public void Keep()
    {
        foreach (var entry in _written) entry.Written = false;
        _written.Clear();
    }

    /// <summary>The change set is rolled back: the entries it wrote summed values that are no longer there.</summary>
    public void Undo()
    {
        foreach (var entry in _written)
        {
            if (_entries.TryGetValue(entry.Parent, out var held) && ReferenceEquals(held, entry)) Forget(entry.Parent);
        }

        _written.Clear();
    }

    /// <summary>Forgets every entry (a full pass rewrote the values).</summary>
    public void Clear()
    {
        _entries.Clear();
        _last = null;
        _written.Clear();
        Array.Clear(_held);
    }

    private Entry? Find(int parent)
    {
        if (_last is { } last && last.Parent == parent) return last;
        if (!_entries.TryGetValue(parent, out var entry)) return null;
        _last = entry;
        return entry;
    }

    private void Hold(int parent, bool held)
    {
        var word = parent >> 6;
        if (word >= _held.Length) Array.Resize(ref _held, Math.Max(word + 1, _held.Length * 2));
        if (held) _held[word] |= 1UL << parent;
        else _held[word] &= ~(1UL << parent);
    }

    private void Written(Entry entry)
    {
        if (entry.Written) return;
        entry.Written = true;
        _written.Add(entry);
    }

    private Entry Make<T>(int parent, Kind kind, ref T terms)
        where T : IChildTerms, allows ref struct
    {
        var positions = terms.Count;
        var groups = BlockedSummation.GroupCount(positions);
        var slots = 0;
        for (var size = groups; size > BlockedSummation.GroupSize; size = BlockedSummation.GroupCount(size)) slots += size;
        var entry = new Entry(parent, kind, positions, new double[2 * (slots + LastLevel(groups) + 1)], new ulong[(groups + 63) >> 6]);
        EnsureScratch(groups);
        for (var g = 0; g < groups; g++)
        {
            SumGroup(entry.Pairs, g, positions, ref terms);
            _scratch[g] = g;
        }

        SumUpperLevels(entry.Pairs, groups, groups);
        return entry;
    }

    private void Resum<T>(Entry entry, ref T terms)
        where T : IChildTerms, allows ref struct
    {
        var groups = BlockedSummation.GroupCount(entry.Positions);
        EnsureScratch(groups);
        var resummed = 0;
        var dirty = entry.Dirty;
        for (var w = 0; w < dirty.Length; w++)
        {
            for (var bits = dirty[w]; bits != 0; bits &= bits - 1)
            {
                var g = (w << 6) + BitOperations.TrailingZeroCount(bits);
                SumGroup(entry.Pairs, g, entry.Positions, ref terms);
                _scratch[resummed++] = g;
            }

            dirty[w] = 0;
        }

        entry.AnyDirty = false;
        Written(entry);
        SumUpperLevels(entry.Pairs, groups, resummed);
    }

    private static void SumGroup<T>(double[] pairs, int group, int positions, ref T terms)
        where T : IChildTerms, allows ref struct
    {
        var from = group * BlockedSummation.GroupSize;
        (pairs[2 * group], pairs[(2 * group) + 1]) = terms.SumRange(from, Math.Min(positions, from + BlockedSummation.GroupSize));
    }

    /// <summary>
    /// Re-sums, level by level, the groups above the <paramref name="resummed"/> first-level groups listed in the
    /// scratch (in increasing order), then the total in the last pair. The levels lie one after the other.
    /// </summary>
    private void SumUpperLevels(double[] pairs, int groups, int resummed)
    {
        const int size = BlockedSummation.GroupSize;
        var (offset, count) = (0, groups);
        while (count > size)
        {
            var next = offset + count;
            var level = pairs.AsSpan(2 * offset, 2 * count);
            var (kept, last) = (0, -1);
            for (var j = 0; j < resummed; j++)
            {
                var h = _scratch[j] / size;
                if (h == last) continue;
                last = h;
                (pairs[2 * (next + h)], pairs[(2 * (next + h)) + 1]) = BlockedSummation.SumPairs(level, h * size, Math.Min(count, (h + 1) * size));
                _scratch[kept++] = h;
            }

            (offset, count, resummed) = (next, BlockedSummation.GroupCount(count), kept);
        }

        var total = offset + count;
        (pairs[2 * total], pairs[(2 * total) + 1]) = BlockedSummation.SumPairs(pairs.AsSpan(2 * offset, 2 * count), 0, count);
    }

    /// <summary>How many sums the last level holds (at most <see cref="BlockedSummation.GroupSize"/>), whose total is the result.</summary>
    private static int LastLevel(int groups)
    {
        while (groups > BlockedSummation.GroupSize) groups = BlockedSummation.GroupCount(groups);
        return groups;
    }

    private void EnsureScratch(int groups)
    {
        if (_scratch.Length < groups) _scratch = new int[Math.Max(groups, _scratch.Length * 2)];
    }

    /// <summary>
    /// One wide parent's sums as (A, B) pairs: the first-level groups of <see cref="BlockedSummation.GroupSize"/>
    /// positions, then each level above, then the total; and a bit per first-level group to re-sum.
    /// </summary>
    private sealed class Entry(int parent, Kind kind, int positions, double[] pairs, ulong[] dirty)
    {
        public int Parent { get; } = parent;

        public Kind Kind { get; } = kind;

        public int Positions { get; } = positions;

        public double[] Pairs { get; } = pairs;

        public ulong[] Dirty { get; } = dirty;

        public bool AnyDirty { get; set; }

        /// <summary>Whether the open change set wrote it (it is then in the written list).</summary>
        public bool Written { get; set; }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AlignmentEngine.Core.Graph;

/// <summary>
/// The undo log of a change set and its touch marks. Inside a change set every write to the node and edge
/// tables goes through a method of the journal that saves what it overwrites first (<see cref="SetValues"/>,
/// <see cref="SetState"/>, <see cref="EditRow"/>, ...), so no caller can forget to save; <see cref="Rollback"/>
/// writes everything back bit for bit. What was saved is also the "before" of a change result.
/// </summary>
/// <remarks>
/// A node's whole row is saved at most once per change set; a write of values only (a check-in, an override, a
/// roll-up) saves just the value columns, and a wave that only flips anchoring saves just that flag. Outside a
/// change set (building, full recomputation) the same methods write without saving.
/// </remarks>
internal sealed class ChangeJournal(
    NodeTable nodes,
    EdgeTable edges,
    AdjacencyLists parentEdges,
    AdjacencyLists childEdges,
    StringIndex index,
    GroupMembers keyMembers,
    GroupMembers ownerMembers,
    Dictionary<int, IReadOnlyList<string>> tags)
{
    private const int TouchBits = 6;
    private const int MaxTransaction = int.MaxValue >> TouchBits;

    // One int per node: the change set's number in the high bits, a bit per Touch kind in the low ones, so a mark
    // left by an earlier change set reads as no mark and nothing is reset between change sets.
    private int[] _touched = LargePages.Allocate<int>(nodes.Capacity);
    private int _number;

    // Saved rows: row k of the saved table is node _savedRowNodes[k] as it was, with its tags.
    private readonly NodeTable _savedRows = new(16, onLargePages: false);
    private readonly List<int> _savedRowNodes = [];
    private readonly List<IReadOnlyList<string>?> _savedTags = [];
    private readonly List<ValueRow> _savedValues = [];
    private readonly List<AnchoringFlip> _savedAnchoring = [];
    private readonly List<(int Edge, EdgeRow Row)> _savedEdges = [];

    // A set rather than a mark per edge: a change set saves few edges, only structural ones.
    private readonly HashSet<int> _edgesSaved = [];
    private readonly List<(int Node, int[] Parents, int[] Children)> _savedLists = [];
    private int _savedNodeEnd;
    private int _savedEdgeEnd;
    private int _savedCount;
    private int[]? _savedFreeNodes;
    private int[]? _savedFreeEdges;

    /// <summary>Whether a change set is open (writes are saved).</summary>
    public bool IsOpen { get; private set; }

    /// <summary>The rows saved so far; row k is node <see cref="SavedRowNode"/>(k) as it was.</summary>
    public NodeTable SavedRows => _savedRows;

    public int SavedRowCount => _savedRowNodes.Count;

    public int SavedRowNode(int k) => _savedRowNodes[k];

    /// <summary>The value columns of goals whose values alone were written, as they were.</summary>
    public ReadOnlySpan<ValueRow> SavedValues => CollectionsMarshal.AsSpan(_savedValues);

    /// <summary>Goals whose anchoring flag alone was flipped, with the flag as it was.</summary>
    public ReadOnlySpan<AnchoringFlip> SavedAnchoring => CollectionsMarshal.AsSpan(_savedAnchoring);

    public void EnsureNodes(int capacity)
    {
        if (_touched.Length < capacity) LargePages.Grow(ref _touched, capacity);
    }

    /// <summary>Asks again for 2 MB pages under the touch marks (<see cref="LargePages"/>).</summary>
    public void BackWithLargePages() => LargePages.TryBack(_touched);

    public void Begin()
    {
        NextNumber();
        IsOpen = true;
        _savedNodeEnd = nodes.End;
        _savedEdgeEnd = edges.End;
        _savedCount = nodes.Count;
        _savedFreeNodes = null;
        _savedFreeEdges = null;
    }

    /// <summary>Keeps every write and forgets what was saved.</summary>
    public void End()
    {
        IsOpen = false;
        _savedRowNodes.Clear();
        _savedTags.Clear();
        _savedValues.Clear();
        _savedEdges.Clear();
        _savedAnchoring.Clear();
        _edgesSaved.Clear();
        _savedLists.Clear();
    }

    /// <summary>Writes back everything the change set saved, then ends it.</summary>
    public void Rollback()
    {
        // Lists first: rows restore ids and groups, lists restore adjacency; neither reads the other.
        for (var k = _savedLists.Count - 1; k >= 0; k--)
        {
            var (node, parents, children) = _savedLists[k];
            parentEdges.Clear(node);
            foreach (var e in parents) parentEdges.Add(node, e);
            childEdges.Clear(node);
            foreach (var e in children) childEdges.Add(node, e);
        }

        foreach (var (edge, row) in _savedEdges) edges.Write(edge, row);
        for (var k = 0; k < _savedRowNodes.Count; k++) RestoreRow(k);

        // After the rows: a node whose values were saved before its row holds written values in that row.
        foreach (var saved in _savedValues)
        {
            var i = saved.Node;
            ref var progress = ref nodes.Progress[i];
            if (!saved.ComputedOnly)
            {
                nodes.Metric[i].Current = saved.Current;
                progress.Override = saved.Override;
            }

            nodes.Value[i] = saved.Value;
            progress.Attainment = saved.Attainment;
            progress.EffectiveCurrent = saved.EffectiveCurrent;
        }

        foreach (var (node, anchored, _) in _savedAnchoring) nodes.Anchored[node] = anchored;
        nodes.End = _savedNodeEnd;
        edges.End = _savedEdgeEnd;
        nodes.Count = _savedCount;
        RestoreStack(nodes.Free, _savedFreeNodes);
        RestoreStack(edges.Free, _savedFreeEdges);
        End();
    }

    /// <summary>Whether the open change set has touched <paramref name="node"/> for <paramref name="kind"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TouchedBy(int node, Touch kind)
    {
        var mark = _touched[node];
        return (mark >> TouchBits) == _number && (mark & (int)kind) != 0;
    }

    /// <summary>True the first time the open change set touches <paramref name="node"/> for <paramref name="kind"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool FirstTouch(int node, Touch kind)
    {
        var mark = _touched[node];
        var current = _number << TouchBits;
        if ((mark >> TouchBits) != _number) mark = current;
        if ((mark & (int)kind) != 0) return false;
        _touched[node] = mark | (int)kind;
        return true;
    }

    /// <summary>A hint: <paramref name="node"/>'s touch mark will be read soon (<see cref="CacheHint"/>).</summary>
    public void PrefetchMark(int node) => CacheHint.Prefetch(_touched, node);

    /// <summary>Forgets that the open change set touched <paramref name="node"/> for <paramref name="kind"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Untouch(int node, Touch kind)
    {
        if ((_touched[node] >> TouchBits) == _number) _touched[node] &= ~(int)kind;
    }

    /// <summary>Saves node <paramref name="node"/>'s whole row, the first time the change set writes it.</summary>
    public void SaveRow(int node)
    {
        if (!IsOpen || !FirstTouch(node, Touch.Row)) return;
        var k = _savedRowNodes.Count;
        _savedRows.EnsureCapacity(k + 1);
        nodes.CopyRow(node, _savedRows, k);
        _savedRowNodes.Add(node);
        _savedTags.Add(tags.GetValueOrDefault(node));
    }

    /// <summary>The table, for writing several columns of <paramref name="node"/>'s row: the row is saved first.</summary>
    public NodeTable EditRow(int node)
    {
        SaveRow(node);
        return nodes;
    }

    public void SetState(int node, GoalState state)
    {
        SaveRow(node);
        nodes.State[node] = state;
    }

    public void SetRank(int node, int rank)
    {
        SaveRow(node);
        nodes.Rank[node] = rank;
    }

    /// <summary>The resolved period and level and the anchoring that flow down from the parents.</summary>
    public void SetResolved(int node, int start, int end, sbyte level, bool anchored)
    {
        SaveRow(node);
        nodes.ResolvedDays[node] = new DayRange(start, end);
        nodes.ResolvedLevel[node] = level;
        nodes.Anchored[node] = anchored;
    }

    /// <summary>
    /// Flips anchoring alone, saving only the flag (restored after the rows, like values). Propagation writes a
    /// goal's anchoring once per change set, so a goal marked <see cref="Touch.Anchoring"/> holds the opposite of
    /// what it held before.
    /// </summary>
    /// <param name="node">The goal.</param>
    /// <param name="anchored">Its anchoring now.</param>
    /// <param name="onlyParent">Its one parent, when the flip was passed down from it; -1 otherwise. Kept with the saved
    /// flag, so that a change result names the parent of a re-anchored goal without reading its lists again.</param>
    public void SetAnchoring(int node, bool anchored, int onlyParent = -1)
    {
        if (IsOpen && FirstTouch(node, Touch.Anchoring)) _savedAnchoring.Add(new AnchoringFlip(node, nodes.Anchored[node], onlyParent));
        nodes.Anchored[node] = anchored;
    }

    public void SetCurrent(int node, double current)
    {
        SaveValues(node);
        nodes.Metric[node].Current = current;
    }

    public void SetOverride(int node, double value)
    {
        SaveValues(node);
        nodes.Progress[node].Override = value;
    }

    /// <summary>Value, attainment and effective current, computed by propagation.</summary>
    public void SetValues(int node, double value, double attainment, double effective)
    {
        SaveValues(node, computedOnly: true, written: value);
        nodes.Value[node] = value;
        ref var progress = ref nodes.Progress[node];
        progress.Attainment = attainment;
        progress.EffectiveCurrent = effective;
    }

    public void SetEdge(int edge, in EdgeRow row)
    {
        SaveEdge(edge);
        edges.Write(edge, row);
    }

    public void SetEdgeWeight(int edge, double signedWeight)
    {
        SaveEdge(edge);
        edges.SignedWeight[edge] = signedWeight;
    }

    /// <summary>Saves <paramref name="node"/>'s adjacency lists, the first time the change set changes them.</summary>
    public void SaveLists(int node)
    {
        if (!IsOpen || !FirstTouch(node, Touch.Lists)) return;
        _savedLists.Add((node, parentEdges.Items(node).ToArray(), childEdges.Items(node).ToArray()));
    }

    /// <summary>Saves the free slot stacks, the first time the change set takes or frees a slot.</summary>
    public void SaveFreeLists()
    {
        if (!IsOpen) return;
        _savedFreeNodes ??= [.. nodes.Free];
        _savedFreeEdges ??= [.. edges.Free];
    }

    /// <summary>
    /// Saves only the value columns, the first time the change set writes them, unless the whole row is saved already:
    /// a check-in or an override saves five numbers (current, override and the three computed ones) instead of every
    /// column. The upward wave (<paramref name="computedOnly"/>, with the value it is writing) saves the three computed
    /// ones: it alone writes them, after every operation of the change set and once per goal, so nothing writes the
    /// goal's current or override after it (a goal without a metric does not have its current's column read for
    /// nothing), and the value written is the goal's value after the change set.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SaveValues(int node, bool computedOnly = false, double written = double.NaN)
    {
        if (!IsOpen || TouchedBy(node, Touch.Row) || !FirstTouch(node, Touch.Values)) return;
        ref readonly var progress = ref nodes.Progress[node];
        var (current, overridden) = computedOnly ? (double.NaN, double.NaN) : (nodes.Metric[node].Current, progress.Override);
        _savedValues.Add(new ValueRow(node, computedOnly, current, overridden, nodes.Value[node], progress.Attainment, progress.EffectiveCurrent, written));
    }

    private void SaveEdge(int edge)
    {
        if (!IsOpen || !_edgesSaved.Add(edge)) return;
        _savedEdges.Add((edge, edges.Read(edge)));
    }

    /// <summary>Writes saved row <paramref name="k"/> back, keeping the id index and the groups in step.</summary>
    private void RestoreRow(int k)
    {
        var i = _savedRowNodes[k];
        var (current, restored) = (nodes.Id[i], _savedRows.Id[k]);
        var reindex = current != restored;
        if (reindex && current is not null) index.Remove(current);
        if (reindex && nodes.OwnIds()) index.Keys = nodes.Id;
        keyMembers.Move(i, current is null ? -1 : nodes.Key[i], restored is null ? -1 : _savedRows.Key[k]);
        ownerMembers.Move(i, current is null ? -1 : nodes.Owner[i], restored is null ? -1 : _savedRows.Owner[k]);
        _savedRows.CopyRow(k, nodes, i);
        if (reindex && restored is not null) index.Set(i);
        if (_savedTags[k] is { Count: > 0 } saved) tags[i] = saved;
        else tags.Remove(i);
    }

    private static void RestoreStack(Stack<int> stack, int[]? saved)
    {
        if (saved is null) return;
        stack.Clear();
        for (var k = saved.Length - 1; k >= 0; k--) stack.Push(saved[k]);
    }

    /// <summary>
    /// The next change set's number. When the numbers that fit beside the touch bits run out (after 33 million
    /// change sets), every mark is cleared and numbering starts again, so an old mark never passes for a new one.
    /// </summary>
    private void NextNumber()
    {
        if (_number == MaxTransaction)
        {
            Array.Clear(_touched);
            _number = 0;
        }

        _number++;
    }
}

/// <summary>What a change set has done to a node so far: which saves it made, and whether the node waits in a propagation queue.</summary>
[Flags]
internal enum Touch
{
    None = 0,
    Row = 1,
    Findings = 2,
    Lists = 4,
    Values = 8,
    Anchoring = 16,

    // Set while the node waits in a propagation queue and cleared when it is taken, so a node reached from
    // several parents (or children) is queued once without sorting a bucket to drop duplicates.
    Queued = 32,
}

/// <summary>
/// A goal whose anchoring alone a change set flipped: the flag as it was, and the goal's one parent when the flip was
/// passed down from it (-1 when the goal was recomputed from all its parents).
/// </summary>
internal readonly record struct AnchoringFlip(int Node, bool Anchored, int OnlyParent);

/// <summary>
/// The columns a value-only write changes, as they were before the change set. <paramref name="ComputedOnly"/>: saved
/// by the upward wave, which writes value, attainment and effective current only; current and override are not saved
/// (NaN here) and not written back, and <paramref name="ValueAfter"/> is the value the wave wrote, the goal's value
/// after the change set (NaN for a save by a check-in or an override, after which the wave may still write).
/// </summary>
internal readonly record struct ValueRow(int Node, bool ComputedOnly, double Current, double Override, double Value, double Attainment, double EffectiveCurrent, double ValueAfter);

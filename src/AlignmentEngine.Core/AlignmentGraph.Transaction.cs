namespace AlignmentEngine.Core;

/// <summary>
/// The undo mechanism behind apply, reject and simulate. Inside a transaction every write first saves the
/// node's (or edge's) whole row once, or, for a write of values only (a check-in, an override, a roll-up), just
/// the value columns; rollback writes the saved rows and values back. What was saved is also the "before" of a
/// change result, and the findings of every node a change could affect are taken before its
/// neighbourhood is first written, so a result costs what the change reaches, never a pass over the graph.
/// </summary>
public sealed partial class AlignmentGraph
{
    private readonly List<(int Node, NodeRow Row)> _savedRows = [];
    private readonly List<ValueRow> _savedValues = [];
    private readonly List<(int Edge, EdgeRow Row)> _savedEdges = [];

    // Goals whose anchoring alone a wave flipped, with the flag as it was: their rows are not saved.
    private readonly List<(int Node, bool Anchored)> _savedAnchoring = [];

    // A set rather than a stamp per edge (4 bytes per goal): a transaction saves few edges, only structural ones.
    private readonly HashSet<int> _edgesSaved = [];
    private readonly List<(int Node, int[] Parents, int[] Children)> _savedLists = [];
    private readonly List<int> _findingScope = [];
    private readonly List<Finding> _beforeFindings = [];
    private readonly HashSet<int> _touchedKeys = [];
    private readonly HashSet<int> _touchedOwners = [];
    private int _tx;
    private bool _inTx;
    private DateOnly _txAsOf;
    private int _savedNodeEnd;
    private int _savedEdgeEnd;
    private int _savedCount;
    private int[]? _savedFreeNodes;
    private int[]? _savedFreeEdges;

    private void BeginTransaction(DateOnly asOf)
    {
        NextTransactionNumber();
        _inTx = true;
        _txAsOf = asOf;
        _savedNodeEnd = _nodeEnd;
        _savedEdgeEnd = _edgeEnd;
        _savedCount = _count;
        _savedFreeNodes = null;
        _savedFreeEdges = null;
    }

    private void EndTransaction()
    {
        _inTx = false;
        _savedRows.Clear();
        _savedValues.Clear();
        _savedEdges.Clear();
        _savedAnchoring.Clear();
        _edgesSaved.Clear();
        _savedLists.Clear();
        _findingScope.Clear();
        _beforeFindings.Clear();
        _touchedKeys.Clear();
        _touchedOwners.Clear();
        _topDown.Clear();
        _bottomUp.Clear();
        _downSeeds.Clear();
        _upSeeds.Clear();
    }

    private void Rollback()
    {
        // Lists first: rows restore ids and groups, lists restore adjacency; neither reads the other.
        for (var k = _savedLists.Count - 1; k >= 0; k--)
        {
            var (node, parents, children) = _savedLists[k];
            _parentEdges.Clear(node);
            foreach (var e in parents) _parentEdges.Add(node, e);
            _childEdges.Clear(node);
            foreach (var e in children) _childEdges.Add(node, e);
        }

        foreach (var (edge, row) in _savedEdges) WriteEdgeRow(edge, row);
        foreach (var (node, row) in _savedRows) WriteRow(node, row);

        // After the rows: a node whose values were saved before its row holds written values in that row.
        foreach (var saved in _savedValues) WriteValues(saved);
        foreach (var (node, anchored) in _savedAnchoring) _anchored[node] = anchored;
        _nodeEnd = _savedNodeEnd;
        _edgeEnd = _savedEdgeEnd;
        _count = _savedCount;
        RestoreStack(_freeNodes, _savedFreeNodes);
        RestoreStack(_freeEdges, _savedFreeEdges);
        EndTransaction();
    }

    private static void RestoreStack(Stack<int> stack, int[]? saved)
    {
        if (saved is null) return;
        stack.Clear();
        for (var k = saved.Length - 1; k >= 0; k--) stack.Push(saved[k]);
    }

    /// <summary>Saves node <paramref name="node"/>'s row the first time the transaction writes it.</summary>
    /// <remarks>A node is saved at most once of each kind (<see cref="Touch.Row"/>, <see cref="Touch.Values"/>).</remarks>
    private void Save(int node)
    {
        if (!_inTx || !FirstTouch(node, Touch.Row)) return;
        _savedRows.Add((node, ReadRow(node)));
    }

    /// <summary>
    /// Saves only the columns a value-only write touches (current, override, value, attainment, effective current)
    /// the first time the transaction writes them, unless the whole row is saved already: a check-in's wave saves
    /// five numbers per goal instead of every field.
    /// </summary>
    private void SaveValues(int node)
    {
        if (!_inTx || TouchedBy(node, Touch.Row) || !FirstTouch(node, Touch.Values)) return;
        _savedValues.Add(new ValueRow(node, _mCurrent[node], _override[node], _value[node], _attainment[node], _effCurrent[node]));
    }

    /// <summary>
    /// Saves only the anchoring flag, the first time the transaction flips it without anything else of the row
    /// (restored after the rows, like values). Propagation writes a goal's anchoring once, so a goal marked
    /// <see cref="Touch.Anchoring"/> holds the opposite of what it held before.
    /// </summary>
    private void SaveAnchoring(int node)
    {
        if (!_inTx || !FirstTouch(node, Touch.Anchoring)) return;
        _savedAnchoring.Add((node, _anchored[node]));
    }

    private void SaveEdge(int edge)
    {
        if (!_inTx || !_edgesSaved.Add(edge)) return;
        _savedEdges.Add((edge, new EdgeRow(_edgeParent[edge], _edgeChild[edge], _edgeSignedWeight[edge], _edgeContributes[edge])));
    }

    private void SaveLists(int node)
    {
        if (!_inTx || !FirstTouch(node, Touch.Lists)) return;
        _savedLists.Add((node, _parentEdges.Items(node).ToArray(), _childEdges.Items(node).ToArray()));
    }

    /// <summary>
    /// Call before writing anything a finding depends on (state, metric shape, periods, levels, owner, edges,
    /// anchoring): takes the findings of the node, its parents and its children, and of its groups, as they were.
    /// </summary>
    private void BeforeFindingChange(int node)
    {
        Save(node);
        if (!_inTx) return;
        TakeFindingsBefore(node);
        foreach (var e in _parentEdges.Items(node)) TakeFindingsBefore(_edgeParent[e]);
        foreach (var e in _childEdges.Items(node)) TakeFindingsBefore(_edgeChild[e]);
        TakeGroupFindingsBefore(_key[node], _owner[node]);
    }

    private void TakeFindingsBefore(int node)
    {
        if (!FirstTouch(node, Touch.Findings)) return;
        _findingScope.Add(node);
        if (!IsAlive(node)) return;

        // A neighbour's change can take this goal's findings after its anchoring alone was flipped: read them as they were.
        var anchored = _anchored[node];
        if (TouchedBy(node, Touch.Anchoring)) _anchored[node] = !anchored;
        AddNodeFindings(node, _beforeFindings);
        _anchored[node] = anchored;
    }

    private void TakeGroupFindingsBefore(int key, int owner)
    {
        if (!_inTx) return;
        if (key >= 0 && _touchedKeys.Add(key)) AddKeyFindings(key, _beforeFindings);
        if (owner >= 0 && _touchedOwners.Add(owner)) AddOwnerFindings(owner, _txAsOf, _beforeFindings);
    }

    private void SaveFreeLists()
    {
        if (!_inTx) return;
        _savedFreeNodes ??= [.. _freeNodes];
        _savedFreeEdges ??= [.. _freeEdges];
    }

    private NodeRow ReadRow(int i) => new()
    {
        Id = _id[i], Type = _type[i], OwnLevel = _ownLevel[i], State = _state[i], OwnStart = _ownStart[i],
        OwnEnd = _ownEnd[i], PeriodName = _periodName[i], Direction = _direction[i], MStart = _mStart[i],
        MTarget = _mTarget[i], MCurrent = _mCurrent[i], Unit = _unit[i], Key = _key[i], Aggregates = _aggregates[i],
        Override = _override[i], Owner = _owner[i], Title = _title[i], Tags = TagsOf(i), Value = _value[i],
        Attainment = _attainment[i], EffCurrent = _effCurrent[i], Anchored = _anchored[i], ResStart = _resStart[i],
        ResEnd = _resEnd[i], ResLevel = _resLevel[i], Rank = _rank[i],
    };

    private void WriteRow(int i, in NodeRow row)
    {
        var reindex = _id[i] != row.Id;
        if (reindex && _id[i] is { } current) _index.Remove(current);
        var wasAlive = _id[i] is not null;
        var willLive = row.Id is not null;
        _keyMembers.Move(i, wasAlive ? _key[i] : -1, willLive ? row.Key : -1);
        _ownerMembers.Move(i, wasAlive ? _owner[i] : -1, willLive ? row.Owner : -1);
        _id[i] = row.Id;
        if (reindex && row.Id is not null) _index.Set(i);
        _type[i] = row.Type;
        _ownLevel[i] = row.OwnLevel;
        _state[i] = row.State;
        _ownStart[i] = row.OwnStart;
        _ownEnd[i] = row.OwnEnd;
        _periodName[i] = row.PeriodName;
        _direction[i] = row.Direction;
        _mStart[i] = row.MStart;
        _mTarget[i] = row.MTarget;
        _mCurrent[i] = row.MCurrent;
        _unit[i] = row.Unit;
        _key[i] = row.Key;
        _aggregates[i] = row.Aggregates;
        _override[i] = row.Override;
        _owner[i] = row.Owner;
        _title[i] = row.Title;
        SetTags(i, row.Tags);
        _value[i] = row.Value;
        _attainment[i] = row.Attainment;
        _effCurrent[i] = row.EffCurrent;
        _anchored[i] = row.Anchored;
        _resStart[i] = row.ResStart;
        _resEnd[i] = row.ResEnd;
        _resLevel[i] = row.ResLevel;
        _rank[i] = row.Rank;
    }

    private void WriteValues(in ValueRow saved)
    {
        var i = saved.Node;
        _mCurrent[i] = saved.Current;
        _override[i] = saved.Override;
        _value[i] = saved.Value;
        _attainment[i] = saved.Attainment;
        _effCurrent[i] = saved.EffCurrent;
    }

    private void WriteEdgeRow(int e, in EdgeRow row)
    {
        _edgeParent[e] = row.Parent;
        _edgeChild[e] = row.Child;
        _edgeSignedWeight[e] = row.SignedWeight;
        _edgeContributes[e] = row.Contributes;
    }

    /// <summary>Every per-node field, as one value: what a transaction saves and restores.</summary>
    private struct NodeRow
    {
        public string? Id;
        public GoalType Type;
        public sbyte OwnLevel;
        public GoalState State;
        public int OwnStart;
        public int OwnEnd;
        public int PeriodName;
        public sbyte Direction;
        public double MStart;
        public double MTarget;
        public double MCurrent;
        public int Unit;
        public int Key;
        public bool Aggregates;
        public double Override;
        public int Owner;
        public string? Title;
        public IReadOnlyList<string>? Tags;
        public double Value;
        public double Attainment;
        public double EffCurrent;
        public bool Anchored;
        public int ResStart;
        public int ResEnd;
        public sbyte ResLevel;
        public int Rank;
    }

    /// <summary>The columns a value-only write changes, as they were before the transaction.</summary>
    private readonly record struct ValueRow(int Node, double Current, double Override, double Value, double Attainment, double EffCurrent);

    private readonly record struct EdgeRow(int Parent, int Child, double SignedWeight, bool Contributes);
}

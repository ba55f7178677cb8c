using AlignmentEngine.Core.Graph;

namespace AlignmentEngine.Core;

/// <summary>
/// One tenant's live goal graph and its roll-up state, on compact arrays: a node is an index, every attribute
/// an array slot, every edge an index into edge arrays, and the two adjacency directions packed lists of edge
/// indices. Values, anchoring, resolved periods and levels are kept up to date through change sets
/// (<c>Apply</c>), which recompute only what a change reaches; health and pace depend on the date asked
/// for and are derived on read.
/// </summary>
/// <remarks>
/// Not thread-safe: one writer at a time, and no reader during a write (the service guards a graph with a
/// reader-writer lock). <see cref="Simulate"/> mutates and restores, so it counts as a write.
/// Node indices are dense but not stable across removals; ids are the public handle.
/// </remarks>
public sealed partial class AlignmentGraph
{
    private const int NoDay = int.MinValue;
    private const sbyte NoLevel = -1;
    private const sbyte NoMetric = -1;

    private readonly StringIndex _index;
    private readonly StringTable _strings = new();
    private readonly GroupMembers _keyMembers;
    private readonly GroupMembers _ownerMembers;
    private readonly Dictionary<int, IReadOnlyList<string>> _tags = []; // sparse: most goals have none
    private readonly Stack<int> _freeNodes = new();
    private readonly Stack<int> _freeEdges = new();
    private readonly AdjacencyLists _parentEdges;
    private readonly AdjacencyLists _childEdges;

    // Node attributes as stated (index = node).
    private string?[] _id;
    private GoalType[] _type;
    private sbyte[] _ownLevel;
    private GoalState[] _state;
    private int[] _ownStart;
    private int[] _ownEnd;
    private int[] _periodName; // interned: a handful of names shared by most goals
    private sbyte[] _direction;
    private double[] _mStart;
    private double[] _mTarget;
    private double[] _mCurrent;
    private int[] _unit;
    private int[] _key;
    private bool[] _aggregates;
    private double[] _override;
    private int[] _owner;
    private string?[] _title;

    // Derived state, kept current by propagation.
    private double[] _value;
    private double[] _attainment;
    private double[] _effCurrent;
    private bool[] _anchored;
    private int[] _resStart;
    private int[] _resEnd;
    private sbyte[] _resLevel;

    // Rank: rank[child] > rank[parent] for every edge, so propagation can visit nodes in dependency order.
    private int[] _rank;

    // Edges (index = edge); a free edge has child -1.
    private int[] _edgeParent;
    private int[] _edgeChild;
    private double[] _edgeSignedWeight; // negative when the edge does not count: AlignmentGraph.EdgeWeights.cs
    private bool[] _edgeContributes;

    private int _nodeEnd;
    private int _edgeEnd;
    private int _count;

    private AlignmentGraph(int nodeCapacity, int edgeCapacity, IReadOnlyDictionary<string, Period> periods, Period? defaultPeriod, PeriodRef? defaultPeriodRef, AlignmentSettings settings)
    {
        nodeCapacity = Math.Max(nodeCapacity, 16);
        edgeCapacity = Math.Max(edgeCapacity, 16);
        _parentEdges = new AdjacencyLists(nodeCapacity, edgeCapacity);
        _childEdges = new AdjacencyLists(nodeCapacity, edgeCapacity);
        _keyMembers = new GroupMembers(nodeCapacity);
        _ownerMembers = new GroupMembers(nodeCapacity);
        Periods = periods;
        DefaultPeriod = defaultPeriod;
        DefaultPeriodRef = defaultPeriodRef;
        Settings = settings;

        _id = new string?[nodeCapacity];
        _index = new StringIndex(_id, nodeCapacity);
        _type = new GoalType[nodeCapacity];
        _ownLevel = new sbyte[nodeCapacity];
        _state = new GoalState[nodeCapacity];
        _ownStart = new int[nodeCapacity];
        _ownEnd = new int[nodeCapacity];
        _periodName = new int[nodeCapacity];
        _direction = new sbyte[nodeCapacity];
        _mStart = new double[nodeCapacity];
        _mTarget = new double[nodeCapacity];
        _mCurrent = new double[nodeCapacity];
        _unit = new int[nodeCapacity];
        _key = new int[nodeCapacity];
        _aggregates = new bool[nodeCapacity];
        _override = new double[nodeCapacity];
        _owner = new int[nodeCapacity];
        _title = new string?[nodeCapacity];
        _value = new double[nodeCapacity];
        _attainment = new double[nodeCapacity];
        _effCurrent = new double[nodeCapacity];
        _anchored = new bool[nodeCapacity];
        _resStart = new int[nodeCapacity];
        _resEnd = new int[nodeCapacity];
        _resLevel = new sbyte[nodeCapacity];
        _rank = new int[nodeCapacity];
        _touched = new int[nodeCapacity];

        _edgeParent = new int[edgeCapacity];
        _edgeChild = new int[edgeCapacity];
        _edgeSignedWeight = new double[edgeCapacity];
        _edgeContributes = new bool[edgeCapacity];
    }

    /// <summary>Named periods that goals may refer to.</summary>
    public IReadOnlyDictionary<string, Period> Periods { get; }

    /// <summary>The period of goals that resolve none through their primary parents.</summary>
    public Period? DefaultPeriod { get; }

    private PeriodRef? DefaultPeriodRef { get; }

    public AlignmentSettings Settings { get; }

    /// <summary>Number of goals.</summary>
    public int Count => _count;

    /// <summary>Number of alignments (child-to-parent links) between the goals.</summary>
    public int AlignmentCount => _edgeEnd - _freeEdges.Count;

    public bool Contains(string id) => _index.ContainsKey(id);

    private bool IsAlive(int node) => _id[node] is not null;

    private bool IsCounted(int node) => _state[node].IsCounted();

    private bool HasMetric(int node) => _direction[node] != NoMetric;

    private IReadOnlyList<string>? TagsOf(int node) => _tags.GetValueOrDefault(node);

    private void SetTags(int node, IReadOnlyList<string>? tags)
    {
        if (tags is null || tags.Count == 0) _tags.Remove(node);
        else _tags[node] = tags;
    }

    private int EdgeCount(int node) => _parentEdges.Count(node);

    private Period? ResolvedPeriod(int node) =>
        _resStart[node] == NoDay ? null : new Period(DateOnly.FromDayNumber(_resStart[node]), DateOnly.FromDayNumber(_resEnd[node]));

    private Period? OwnPeriod(int node) =>
        _ownStart[node] == NoDay ? null : new Period(DateOnly.FromDayNumber(_ownStart[node]), DateOnly.FromDayNumber(_ownEnd[node]));

    private void EnsureNodeCapacity(int needed)
    {
        if (_id.Length >= needed) return;
        var size = Math.Max(needed, _id.Length * 2);
        Array.Resize(ref _id, size);
        _index.Keys = _id;
        Array.Resize(ref _type, size);
        Array.Resize(ref _ownLevel, size);
        Array.Resize(ref _state, size);
        Array.Resize(ref _ownStart, size);
        Array.Resize(ref _ownEnd, size);
        Array.Resize(ref _periodName, size);
        Array.Resize(ref _direction, size);
        Array.Resize(ref _mStart, size);
        Array.Resize(ref _mTarget, size);
        Array.Resize(ref _mCurrent, size);
        Array.Resize(ref _unit, size);
        Array.Resize(ref _key, size);
        Array.Resize(ref _aggregates, size);
        Array.Resize(ref _override, size);
        Array.Resize(ref _owner, size);
        Array.Resize(ref _title, size);
        Array.Resize(ref _value, size);
        Array.Resize(ref _attainment, size);
        Array.Resize(ref _effCurrent, size);
        Array.Resize(ref _anchored, size);
        Array.Resize(ref _resStart, size);
        Array.Resize(ref _resEnd, size);
        Array.Resize(ref _resLevel, size);
        Array.Resize(ref _rank, size);
        Array.Resize(ref _touched, size);
        _parentEdges.EnsureNodes(size);
        _childEdges.EnsureNodes(size);
        _keyMembers.EnsureNodes(size);
        _ownerMembers.EnsureNodes(size);
    }

    private void EnsureEdgeCapacity(int needed)
    {
        if (_edgeChild.Length >= needed) return;
        var size = Math.Max(needed, _edgeChild.Length * 2);
        Array.Resize(ref _edgeParent, size);
        Array.Resize(ref _edgeChild, size);
        Array.Resize(ref _edgeSignedWeight, size);
        Array.Resize(ref _edgeContributes, size);
    }
}

using AlignmentEngine.Core.Analysis;
using AlignmentEngine.Core.Graph;

namespace AlignmentEngine.Core;

/// <summary>
/// One tenant's live goal graph and its roll-up state. The facade over the core's parts: the goals' columns
/// (<see cref="NodeTable"/>) and the alignments' (<see cref="EdgeTable"/>) with their adjacency lists, the
/// change journal that every write of a change set goes through (<see cref="ChangeJournal"/>), propagation, and
/// the findings and explanations read off them. Values, anchoring, resolved periods and levels are kept up to
/// date through change sets (<c>Apply</c>, <c>Stage</c>), which recompute only what a change reaches; health and
/// pace depend on the date asked for and are derived on read.
/// </summary>
/// <remarks>
/// Not thread-safe: one writer at a time, and no reader during a write (the service guards a graph with a
/// reader-writer lock). <see cref="Simulate"/> mutates and restores, so it counts as a write.
/// Node indices are dense but not stable across removals; ids are the public handle.
/// </remarks>
public sealed partial class AlignmentGraph
{
    private readonly NodeTable _nodes;
    private readonly EdgeTable _edges;
    private readonly ChangeJournal _journal;
    private readonly StringIndex _index;
    private readonly IdOrder _idOrder;
    private readonly StringTable _strings = new();
    private readonly GroupMembers _keyMembers;
    private readonly GroupMembers _ownerMembers;
    private readonly Dictionary<int, IReadOnlyList<string>> _tags = []; // sparse: most goals have none
    private readonly AdjacencyLists _parentEdges;
    private readonly AdjacencyLists _childEdges;
    private readonly GroupSums _groupSums = new(); // the upward wave's sums of wide parents (Graph/GroupSums.cs)
    private readonly FindingAnalyzer _findings;
    private readonly Explainer _explainer;

    private AlignmentGraph(int nodeCapacity, int edgeCapacity, IReadOnlyDictionary<string, Period> periods, Period? defaultPeriod, PeriodRef? defaultPeriodRef, AlignmentSettings settings)
    {
        nodeCapacity = Math.Max(nodeCapacity, 16);
        edgeCapacity = Math.Max(edgeCapacity, 16);
        _nodes = new NodeTable(nodeCapacity, onLargePages: true);
        _edges = new EdgeTable(edgeCapacity);
        _index = new StringIndex(_nodes.Id, nodeCapacity);
        _idOrder = new IdOrder(nodeCapacity);
        _parentEdges = new AdjacencyLists(nodeCapacity, edgeCapacity);
        _childEdges = new AdjacencyLists(nodeCapacity, edgeCapacity);
        _keyMembers = new GroupMembers(nodeCapacity);
        _ownerMembers = new GroupMembers(nodeCapacity);
        _findings = new FindingAnalyzer(_nodes, _edges, _parentEdges, _childEdges, _keyMembers, _ownerMembers, _strings, settings);
        _explainer = new Explainer(_nodes, _edges, _parentEdges, _childEdges, _strings, settings);
        _journal = new ChangeJournal(_nodes, _edges, _parentEdges, _childEdges, _index, _keyMembers, _ownerMembers, _tags);
        Periods = periods;
        DefaultPeriod = defaultPeriod;
        DefaultPeriodRef = defaultPeriodRef;
        Settings = settings;
    }

    /// <summary>Named periods that goals may refer to.</summary>
    public IReadOnlyDictionary<string, Period> Periods { get; }

    /// <summary>The period of goals that resolve none through their primary parents.</summary>
    public Period? DefaultPeriod { get; }

    private PeriodRef? DefaultPeriodRef { get; }

    public AlignmentSettings Settings { get; }

    /// <summary>Number of goals.</summary>
    public int Count => _nodes.Count;

    /// <summary>Number of alignments (child-to-parent links) between the goals.</summary>
    public int AlignmentCount => _edges.End - _edges.Free.Count;

    public bool Contains(string id) => _index.ContainsKey(id);

    private bool IsAlive(int node) => _nodes.IsAlive(node);

    private bool IsCounted(int node) => _nodes.IsCounted(node);

    private bool HasMetric(int node) => _nodes.HasMetric(node);

    private IReadOnlyList<string>? TagsOf(int node) => _tags.GetValueOrDefault(node);

    /// <summary>Tags live beside the table (most goals have none); the journal saves them with the row.</summary>
    private void SetTags(int node, IReadOnlyList<string>? tags)
    {
        if (tags is null || tags.Count == 0) _tags.Remove(node);
        else _tags[node] = tags;
    }

    private int EdgeCount(int node) => _parentEdges.Count(node);

    private Period? ResolvedPeriod(int node) => _nodes.ResolvedPeriod(node);

    private Period? OwnPeriod(int node) => _nodes.OwnPeriod(node);

    private void EnsureNodeCapacity(int needed)
    {
        if (!_nodes.EnsureCapacity(needed)) return;
        var size = _nodes.Capacity;
        _index.Keys = _nodes.Id;
        _journal.EnsureNodes(size);
        _idOrder.EnsureNodes(size);
        _parentEdges.EnsureNodes(size);
        _childEdges.EnsureNodes(size);
        _keyMembers.EnsureNodes(size);
        _ownerMembers.EnsureNodes(size);
        BackColumnsWithLargePages();
    }

    /// <summary>
    /// Asks again for 2 MB pages under every large column (Graph/LargePages.cs), once the graph is built or has grown:
    /// pages at a column's ends that could not be backed when it was allocated can be now that its neighbours are.
    /// </summary>
    private void BackColumnsWithLargePages()
    {
        _nodes.BackWithLargePages();
        _edges.BackWithLargePages();
        _journal.BackWithLargePages();
        _index.BackWithLargePages();
        _idOrder.BackWithLargePages();
        _parentEdges.BackWithLargePages();
        _childEdges.BackWithLargePages();
        _keyMembers.BackWithLargePages();
        _ownerMembers.BackWithLargePages();
    }
}

namespace AlignmentEngine.Core;

/// <summary>
/// A change set applied to a graph and held open (<see cref="AlignmentGraph.Stage"/>): the graph reads as changed,
/// <see cref="Commit"/> keeps the change, and disposing without a commit undoes it exactly. A refused change set is
/// undone before it is returned; committing it keeps nothing.
/// </summary>
public sealed class StagedChange : IDisposable
{
    private readonly AlignmentGraph _graph;
    private bool _open;

    internal StagedChange(AlignmentGraph graph, IReadOnlyList<GoalChange> changes, DateOnly asOf, ChangeResult result, bool membershipChanged)
    {
        _graph = graph;
        Changes = changes;
        AsOf = asOf;
        Result = result;
        MembershipChanged = membershipChanged;
        _open = result.Accepted;
    }

    /// <summary>The operations, in the order applied.</summary>
    public IReadOnlyList<GoalChange> Changes { get; }

    /// <summary>The date health in <see cref="Result"/> was judged at.</summary>
    public DateOnly AsOf { get; }

    /// <summary>What the change does (or why it was refused).</summary>
    public ChangeResult Result { get; }

    /// <summary>The goals of the graph as staged.</summary>
    public int GoalCount => _graph.Count;

    /// <summary>Whether goals were added or removed (the graph's sorted ids must be made again).</summary>
    internal bool MembershipChanged { get; }

    /// <summary>
    /// The goals the operations name, each once in the order first named, as they stand in the staged graph: the
    /// definitions of those still there, and the ids of those removed.
    /// </summary>
    public (IReadOnlyList<GoalDefinition> Goals, IReadOnlyList<string> Removed) TouchedGoals()
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var goals = new List<GoalDefinition>();
        var removed = new List<string>();
        foreach (var change in Changes)
        {
            if (!touched.Add(change.GoalId)) continue;
            if (_graph.GetDefinition(change.GoalId) is { } definition) goals.Add(definition);
            else removed.Add(change.GoalId);
        }

        return (goals, removed);
    }

    /// <summary>Keeps the change. A refused change set has nothing to keep.</summary>
    public void Commit()
    {
        if (!_open) return;
        _open = false;
        _graph.CommitStaged(this);
    }

    /// <summary>Undoes the change unless it was committed.</summary>
    public void Dispose()
    {
        if (!_open) return;
        _open = false;
        _graph.RollBackStaged(this);
    }

    internal static StagedChange Refused(AlignmentGraph graph, IReadOnlyList<GoalChange> changes, DateOnly asOf, ChangeResult result) =>
        new(graph, changes, asOf, result, membershipChanged: false);
}

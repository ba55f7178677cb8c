namespace AlignmentEngine.Core;

/// <summary>
/// One operation of a change set (semantics.md, "Changes and priority shifts"). Operations name goals by id;
/// a change set is applied in order and all or nothing.
/// </summary>
public abstract record GoalChange
{
    private protected GoalChange()
    {
    }

    /// <summary>The goal the operation is about (the child, for edge operations).</summary>
    public abstract string GoalId { get; }

    /// <summary>True for operations that add or remove goals or edges (they can create cycles or unknown parents).</summary>
    public abstract bool IsStructural { get; }
}

/// <summary>Create the goal, or replace its whole definition (its parents included) when it exists.</summary>
public sealed record UpsertGoal(GoalDefinition Goal) : GoalChange
{
    public override string GoalId => Goal.Id;

    public override bool IsStructural => true;
}

/// <summary>Remove a goal and its own edges to its parents. Edges of other goals to it must go first.</summary>
public sealed record RemoveGoal(string Id) : GoalChange
{
    public override string GoalId => Id;

    public override bool IsStructural => true;
}

public sealed record SetState(string Id, GoalState State) : GoalChange
{
    public override string GoalId => Id;

    public override bool IsStructural => false;
}

/// <summary>Align <paramref name="ChildId"/> to a further parent (appended: it becomes primary only if it is the first).</summary>
public sealed record AddEdge(string ChildId, ParentLink Link) : GoalChange
{
    public override string GoalId => ChildId;

    public override bool IsStructural => true;
}

public sealed record RemoveEdge(string ChildId, string ParentId) : GoalChange
{
    public override string GoalId => ChildId;

    public override bool IsStructural => true;
}

public sealed record SetWeight(string ChildId, string ParentId, double Weight) : GoalChange
{
    public override string GoalId => ChildId;

    public override bool IsStructural => false;
}

/// <summary>
/// A new current value for a goal's metric. <paramref name="At"/> and <paramref name="Confidence"/> are kept by
/// the store's check-in history; the roll-up uses the value alone.
/// </summary>
public sealed record CheckIn(string Id, double Value, DateTimeOffset? At = null, double? Confidence = null) : GoalChange
{
    public override string GoalId => Id;

    public override bool IsStructural => false;
}

/// <summary>Set (a value in [0, 1]) or clear (null) a goal's progress override.</summary>
public sealed record SetOverride(string Id, double? Value) : GoalChange
{
    public override string GoalId => Id;

    public override bool IsStructural => false;
}

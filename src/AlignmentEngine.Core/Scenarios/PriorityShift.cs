namespace AlignmentEngine.Core.Scenarios;

/// <summary>
/// A named priority shift analysts can replay on any graph (<c>okr scenario</c>): it turns a graph, a seed and a
/// share into a change set. Pure and deterministic: it reads the graph through its public queries in id order
/// and draws every choice from one <see cref="Random"/>, so the same graph, seed and share give the same changes.
/// </summary>
public abstract class PriorityShift
{
    /// <summary>Levels do not depend on the date; any fixed date keeps the choices stable.</summary>
    private protected static readonly DateOnly AnyDate = new(2000, 1, 1);

    private protected PriorityShift()
    {
    }

    /// <summary>Every scenario by name, in the order a help text lists them.</summary>
    public static IReadOnlyList<PriorityShift> All { get; } = [new ArchiveCompanyObjectives(), new Reweight(), new MoveDepartment()];

    /// <summary>The stable name callers pass, e.g. <c>archive-company-objectives</c>.</summary>
    public abstract string Name { get; }

    /// <summary>What the share means for this scenario, for help texts.</summary>
    public abstract string Description { get; }

    /// <summary>The scenario with that name, or null.</summary>
    public static PriorityShift? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    /// <summary>The change set for <paramref name="graph"/>; empty when the graph offers nothing to shift.</summary>
    /// <param name="share">The fraction of candidates affected, in (0, 1]; scenarios that move one thing ignore it.</param>
    public IReadOnlyList<GoalChange> Changes(AlignmentGraph graph, int seed, double share = 0.5)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (!(share > 0 && share <= 1)) throw new ArgumentOutOfRangeException(nameof(share), share, "share must be in (0, 1]");
        return Create(graph, new Random(seed), share);
    }

    private protected abstract IReadOnlyList<GoalChange> Create(AlignmentGraph graph, Random random, double share);

    /// <summary>Counted company objectives with no parent (the roots of the alignment), sorted by id.</summary>
    private protected static List<string> CompanyObjectives(AlignmentGraph graph, DateOnly asOf) =>
        [.. graph.AllIds.Where(id =>
            graph.GetDefinition(id) is { Type: GoalType.Objective, Parents.Count: 0 } goal
            && goal.State.IsCounted()
            && graph.GetResult(id, asOf)!.Level == GoalLevel.Company)];

    /// <summary>Picks <c>ceil(share × count)</c> items (at least one), keeping their order.</summary>
    private protected static List<T> Sample<T>(List<T> items, double share, Random random)
    {
        var wanted = Math.Clamp((int)Math.Ceiling(share * items.Count), items.Count == 0 ? 0 : 1, items.Count);
        var keys = items.Select(_ => random.NextDouble()).ToArray();
        var chosen = Enumerable.Range(0, items.Count).OrderBy(i => keys[i]).Take(wanted).Order();
        return [.. chosen.Select(i => items[i])];
    }
}

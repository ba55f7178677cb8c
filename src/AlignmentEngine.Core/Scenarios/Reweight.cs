namespace AlignmentEngine.Core.Scenarios;

/// <summary>
/// <c>reweight</c>: priorities are rebalanced. Each alignment edge is picked with probability <c>share</c> and
/// given a new weight between 0.5 and 3 (one decimal, as people type them).
/// </summary>
internal sealed class Reweight : PriorityShift
{
    public override string Name => "reweight";

    public override string Description => "give a share of the alignment edges random weights in [0.5, 3]";

    private protected override IReadOnlyList<GoalChange> Create(AlignmentGraph graph, Random random, double share)
    {
        var changes = new List<GoalChange>();
        foreach (var id in graph.AllIds)
        {
            foreach (var link in graph.GetDefinition(id)!.Parents)
            {
                if (random.NextDouble() >= share) continue;
                var weight = Math.Round(0.5 + (random.NextDouble() * 2.5), 1);
                changes.Add(new SetWeight(id, link.ParentId, weight));
            }
        }

        return changes;
    }
}

using FsCheckProperty = FsCheck.NUnit.PropertyAttribute;

namespace AlignmentEngine.Core.Tests;

/// <summary>The packed-key sort of ids (large change results, deferred orphans) orders exactly as string.CompareOrdinal.</summary>
public sealed class OrdinalOrderTests
{
    [FsCheckProperty(MaxTest = 200)]
    public void Of_AnyIds_IsTheOrdinalOrder(string[] ids)
    {
        var kept = ids.Where(id => id is not null).ToList();

        var order = OrdinalOrder.Of(kept);

        order.Select(k => kept[k]).Should().Equal(kept.Order(StringComparer.Ordinal));
    }

    [Test]
    public void Of_IdsSharingTheirFirstSixteenCharactersOrShorter_IsTheOrdinalOrder()
    {
        string[] ids = ["D12.T3.P45.KR1.x9", "D12.T3.P45.KR1.x10", "D12.T3.P45.KR1", "D12.T3.P45.KR1\0", "D12.T3.P45.KR", "D2", "D12.T3.P45.KR1.x9", "é", "D12.T3.P45.KR1.x1"];

        var order = OrdinalOrder.Of(ids);

        order.Select(k => ids[k]).Should().Equal(ids.Order(StringComparer.Ordinal));
    }

    [Test]
    public void Apply_ManyCheckInsInOneChangeSet_ReportsTheGoalsSortedById()
    {
        var tree = Synthetic.OrganisationGenerator.Generate(3_000, seed: 5);
        var graph = Trees.Build(tree);
        var checkIns = tree.Goals
            .Where(g => g.Metric is { Aggregates: false, Direction: MetricDirection.Increase } && g.State.IsCounted())
            .Select(g => (GoalChange)new CheckIn(g.Id, g.Metric!.Target!.Value))
            .ToList();

        var result = graph.Apply(checkIns, Synthetic.OrganisationGenerator.AsOf);

        result.Goals.Count.Should().BeGreaterThan(64, "enough deltas to be sorted on packed ids");
        result.Goals.Select(g => g.Id).Should().Equal(result.Goals.Select(g => g.Id).Order(StringComparer.Ordinal));
    }
}

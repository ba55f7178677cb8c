using AlignmentEngine.Synthetic;

namespace AlignmentEngine.Core.Tests;

public sealed class FindingCountsTests
{
    [Test]
    public void ByCode_OfASimulatedArchive_CountsTheDeferredOrphansAsTheWrittenListHasThem()
    {
        var graph = AlignmentGraph.Build(OrganisationGenerator.Generate(10_000, seed: 2026)).Graph!;
        var result = graph.Simulate([new SetState("C2", GoalState.Archived)], OrganisationGenerator.AsOf);

        // Counted first, while the orphans of the re-anchoring wave are not written yet; then the written list.
        var counted = FindingCounts.ByCode(result.FindingsAppeared);
        var written = result.FindingsAppeared.GroupBy(f => f.Code).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())).ToList();

        counted.Should().Equal(written);
        counted.Should().Contain(c => c.Code == FindingCode.OrphanedGoal && c.Count > 100, "archiving a company objective orphans goals below it");
    }

    [Test]
    public void ByCode_OfAPlainList_CountsEachCodeInCodeOrder()
    {
        Finding Of(FindingCode code, string goal) => new(code, goal, [], "m");

        var counts = FindingCounts.ByCode([Of(FindingCode.UnitMismatch, "a"), Of(FindingCode.OrphanedGoal, "b"), Of(FindingCode.UnitMismatch, "c")]);

        counts.Should().Equal((FindingCode.OrphanedGoal, 1), (FindingCode.UnitMismatch, 2));
    }
}

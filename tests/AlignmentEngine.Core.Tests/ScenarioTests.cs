using AlignmentEngine.Core.Scenarios;
using AlignmentEngine.Synthetic;

namespace AlignmentEngine.Core.Tests;

/// <summary>The priority-shift scenarios and their reports, checked against applying the change for real.</summary>
public sealed class ScenarioTests
{
    private static readonly DateOnly AsOf = OrganisationGenerator.AsOf;

    private static AlignmentGraph Organisation(int size = 5_000, int seed = 5) =>
        AlignmentGraph.Build(OrganisationGenerator.Generate(size, seed)).Graph!;

    private static PriorityShift Scenario(string name) => PriorityShift.Find(name)!;

    [Test]
    public void All_Names_AreTheDocumentedOnes()
    {
        PriorityShift.All.Select(s => s.Name).Should().Equal("archive-company-objectives", "reweight", "move-department");
        PriorityShift.Find("no-such-scenario").Should().BeNull();
    }

    [TestCase("archive-company-objectives")]
    [TestCase("reweight")]
    [TestCase("move-department")]
    public void Changes_SameGraphAndSeed_AreEqual(string name)
    {
        var first = Scenario(name).Changes(Organisation(), seed: 9, share: 0.3);
        var second = Scenario(name).Changes(Organisation(), seed: 9, share: 0.3);

        first.Should().NotBeEmpty().And.Equal(second);
    }

    [TestCase("archive-company-objectives")]
    [TestCase("reweight")]
    [TestCase("move-department")]
    public void Of_SimulatedScenario_MatchesApplyingIt(string name)
    {
        var graph = Organisation();
        var before = graph.Rollup(AsOf);
        var changes = Scenario(name).Changes(graph, seed: 4, share: 0.4);

        var report = ScenarioReport.Of(name, before, changes, graph.Simulate(changes, AsOf), TimeSpan.FromMilliseconds(1));
        graph.Apply(changes, AsOf).Accepted.Should().BeTrue();
        var after = graph.Rollup(AsOf);

        report.Accepted.Should().BeTrue();
        report.ChangeCount.Should().Be(changes.Count);
        report.HealthBefore.Where(kv => kv.Value > 0).Should().BeEquivalentTo(CountHealth(before));
        report.HealthAfter.Where(kv => kv.Value > 0).Should().BeEquivalentTo(CountHealth(after));
        var orphansBefore = Orphans(before);
        report.NewlyOrphaned.Should().BeEquivalentTo(Orphans(after).Except(orphansBefore));
        report.FindingsAppeared.Should().BeEquivalentTo(CountNew(after.Findings, before.Findings));
        report.FindingsDisappeared.Should().BeEquivalentTo(CountNew(before.Findings, after.Findings));
        var largest = before.Goals.Zip(after.Goals, (b, a) => Math.Abs(a.Progress - b.Progress)).Max();
        if (largest > 0) Math.Abs(report.LargestChanges[0].Delta).Should().BeApproximately(largest, 1e-12);
        report.LargestChanges.Select(c => Math.Abs(c.Delta)).Should().BeInDescendingOrder();
        graph.ShouldEqualFullRecomputation(AsOf);
    }

    [Test]
    public void Of_ArchiveEveryCompanyObjective_OrphansEverythingBeneathThem()
    {
        var graph = Organisation();
        var before = graph.Rollup(AsOf);
        var changes = Scenario("archive-company-objectives").Changes(graph, seed: 1, share: 1);

        var report = ScenarioReport.Of("archive-company-objectives", before, changes, graph.Simulate(changes, AsOf), TimeSpan.Zero);

        changes.Should().HaveCount(before.Goals.Count(g => g.Level == GoalLevel.Company && g.Counted && !g.Id.Contains('.', StringComparison.Ordinal)));
        var wasAnchored = before.Goals.Where(g => g.Counted).Select(g => g.Id).Except(Orphans(before))
            .Where(id => changes.All(c => c.GoalId != id));
        report.NewlyOrphaned.Should().BeEquivalentTo(wasAnchored, "no counted goal is anchored once every root is archived");
        report.HealthAfter[Health.Inactive].Should().Be(report.HealthBefore[Health.Inactive] + changes.Count);
    }

    [Test]
    public void Of_MoveDepartment_MovesItUnderAnotherCompanyKeyResult()
    {
        var graph = Organisation();
        var change = (UpsertGoal)Scenario("move-department").Changes(graph, seed: 2).Single();
        var old = graph.GetDefinition(change.Goal.Id)!;

        graph.Apply([change], AsOf).Accepted.Should().BeTrue();

        old.Level.Should().Be(GoalLevel.Department);
        graph.GetDefinition(change.Goal.Id)!.Parents[0].ParentId.Should().NotBe(old.Parents[0].ParentId).And.StartWith("C");
    }

    [Test]
    public void Changes_ShareOutOfRange_Throws()
    {
        var act = () => Scenario("reweight").Changes(Organisation(), seed: 1, share: 0);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static Dictionary<Health, int> CountHealth(RollupReport report) =>
        report.Goals.GroupBy(g => g.Health).ToDictionary(g => g.Key, g => g.Count());

    private static HashSet<string> Orphans(RollupReport report) =>
        [.. report.Findings.Where(f => f.Code == FindingCode.OrphanedGoal).Select(f => f.Goal)];

    private static Dictionary<FindingCode, int> CountNew(IReadOnlyList<Finding> now, IReadOnlyList<Finding> then)
    {
        var old = then.ToHashSet();
        return now.Where(f => !old.Contains(f)).GroupBy(f => f.Code).ToDictionary(g => g.Key, g => g.Count());
    }
}

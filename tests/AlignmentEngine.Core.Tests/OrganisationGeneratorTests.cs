using AlignmentEngine.Synthetic;

namespace AlignmentEngine.Core.Tests;

/// <summary>The synthetic organisation: deterministic, exactly sized, valid, and shaped like a real company.</summary>
public sealed class OrganisationGeneratorTests
{
    private static readonly DateOnly AsOf = OrganisationGenerator.AsOf;

    [TestCase(100)]
    [TestCase(1_000)]
    [TestCase(1_007)]
    [TestCase(10_000)]
    [TestCase(54_321)]
    public void Generate_AnySize_HasExactlyThatManyGoalsAndNoErrors(int size)
    {
        var tree = OrganisationGenerator.Generate(size, seed: 7);

        tree.Goals.Should().HaveCount(size);
        tree.Goals.Select(g => g.Id).Should().OnlyHaveUniqueItems();
        var build = AlignmentGraph.Build(tree);
        build.Errors.Should().BeEmpty();
        build.Graph!.Analyze(AsOf).Should().NotContain(f => f.Severity == Severity.Error);
    }

    [Test]
    public void Generate_SameSeedAndSize_GivesEqualTrees()
    {
        var first = OrganisationGenerator.Generate(5_000, seed: 42);
        var second = OrganisationGenerator.Generate(5_000, seed: 42);

        first.Goals.Should().Equal(second.Goals);
        first.Periods.Should().Equal(second.Periods);
        first.DefaultPeriod.Should().Be(second.DefaultPeriod);
        first.AsOf.Should().Be(second.AsOf);
    }

    [Test]
    public void Generate_OtherSeed_GivesAnotherTree()
    {
        var first = OrganisationGenerator.Generate(5_000, seed: 1);
        var second = OrganisationGenerator.Generate(5_000, seed: 2);

        first.Goals.Should().NotEqual(second.Goals);
    }

    [Test]
    public void Generate_Shape_HasEveryLevelAndThreeToFiveKeyResultsPerObjective()
    {
        var tree = OrganisationGenerator.Generate(20_000, seed: 3);
        var goals = tree.Goals;

        goals.Select(g => g.Level).Distinct().Should().Contain([GoalLevel.Company, GoalLevel.Department, GoalLevel.Team, GoalLevel.Individual]);
        var keyResults = goals.Where(g => g.Type == GoalType.KeyResult).GroupBy(g => g.Parents[0].ParentId).ToDictionary(g => g.Key, g => g.Count());
        foreach (var objective in goals.Where(g => g.Type == GoalType.Objective))
        {
            keyResults.GetValueOrDefault(objective.Id).Should().BeInRange(3, 5, objective.Id);
        }

        goals.Should().Contain(g => g.Id == "C1").And.Contain(g => g.Id == "C1.KR2").And.Contain(g => g.Id == "D3.T2.P1.KR1");
    }

    [Test]
    public void Generate_Shape_HasMultiParentExcludedAndCascadedGoals()
    {
        var goals = OrganisationGenerator.Generate(20_000, seed: 3).Goals;

        var multiParent = goals.Count(g => g.Parents.Count > 1);
        multiParent.Should().BeGreaterThan(goals.Count / 100, "some goals align to more than one parent");
        var excluded = goals.Count(g => !g.State.IsCounted());
        excluded.Should().BeInRange(goals.Count / 100, goals.Count / 10);
        goals.Should().Contain(g => g.Metric != null && g.Metric.Aggregates && g.Metric.Unit == OrganisationGenerator.CashUnit);
        goals.Select(g => g.Metric?.Direction).Distinct().Should().Contain(
            [MetricDirection.Increase, MetricDirection.Decrease, MetricDirection.AtLeast, MetricDirection.AtMost, MetricDirection.Milestone]);
    }

    [Test]
    public void Generate_LargeTree_HasARealisticSprinklingOfWarnings()
    {
        var graph = AlignmentGraph.Build(OrganisationGenerator.Generate(50_000, seed: 11)).Graph!;

        var counts = graph.Analyze(AsOf).GroupBy(f => f.Code).ToDictionary(g => g.Key, g => g.Count());

        counts.Should().ContainKeys(
            FindingCode.OrphanedGoal, FindingCode.ExcludedParent, FindingCode.PeriodMismatch,
            FindingCode.ConflictingMetrics, FindingCode.TargetShortfall, FindingCode.UnitMismatch);
        counts.Values.Sum().Should().BeLessThan(graph.Count / 20, "warnings are a sprinkling, not the norm");
    }

    [Test]
    public void Generate_OrphansComeFromArchivedObjectives()
    {
        var tree = OrganisationGenerator.Generate(50_000, seed: 11);
        var graph = AlignmentGraph.Build(tree).Graph!;
        var archived = tree.Goals.Where(g => g.State == GoalState.Archived).Select(g => g.Id).ToList();

        var orphans = graph.Analyze(AsOf).Where(f => f.Code == FindingCode.OrphanedGoal).Select(f => f.Goal).ToList();

        archived.Should().NotBeEmpty();
        orphans.Should().NotBeEmpty().And.OnlyContain(id => archived.Any(a => id.StartsWith(a + ".", StringComparison.Ordinal)));
    }

    [TestCase(99)]
    [TestCase(0)]
    public void Generate_TooSmall_Throws(int size)
    {
        var act = () => OrganisationGenerator.Generate(size, seed: 1);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}

using AlignmentEngine.Synthetic;
using static AlignmentEngine.Core.Tests.Trees;

namespace AlignmentEngine.Core.Tests;

/// <summary>Change sets as users make them: archive, re-parent, reweight, check in; and the refusals.</summary>
public sealed class PriorityShiftTests
{
    private static AlignmentGraph Company() => GraphOf(
        Objective("C1", GoalLevel.Company),
        Objective("C2", GoalLevel.Company),
        Kr("C1.KR1", "C1", Increase(0, 100, 25)),
        Kr("C2.KR1", "C2", Increase(0, 100, 90)),
        Objective("OPS", GoalLevel.Department, "C2"),
        Kr("OPS.KR1", "OPS", Increase(0, 10, 5)),
        Objective("MKT", GoalLevel.Department, "C1.KR1", "C2"));

    [Test]
    public void Simulate_ArchiveCompanyObjective_ReportsOrphansAndLeavesGraphUntouched()
    {
        var graph = Company();
        var before = graph.Rollup(AsOf);

        var result = graph.Simulate([new SetState("C2", GoalState.Archived)], AsOf);

        result.Accepted.Should().BeTrue();
        result.FindingsAppeared.Codes().Should().Equal(
            "EXCLUDED_PARENT C2.KR1 [C2]", "EXCLUDED_PARENT MKT [C2]", "EXCLUDED_PARENT OPS [C2]",
            "ORPHANED_GOAL C2.KR1", "ORPHANED_GOAL OPS", "ORPHANED_GOAL OPS.KR1");
        result.FindingsAppeared.Single(f => f.Goal == "OPS.KR1").Message.Should().Contain("every chain upward stops");
        result.FindingsAppeared.Single(f => f.Code == FindingCode.OrphanedGoal && f.Goal == "OPS").Message.Should().Contain("every parent is excluded");
        result.Goals.Should().ContainSingle(g => g.Id == "C2").Which.After!.Value.Health.Should().Be(Health.Inactive);
        GraphAssertions.ShouldMatch(graph.Rollup(AsOf), before);
    }

    /// <summary>
    /// Most of the orphans of a company objective's archive are written only when the result is read: each must
    /// read, message and order included, as the analysis of the graph with the archive applied states it.
    /// </summary>
    [Test]
    public void Simulate_ArchiveCompanyObjectiveOfAGeneratedOrganisation_ListsEachFindingAsTheAppliedGraphsAnalysis()
    {
        var tree = OrganisationGenerator.Generate(10_000, 2026);
        var graph = Build(tree);
        var asOf = OrganisationGenerator.AsOf;
        var before = graph.Analyze(asOf);
        IReadOnlyList<GoalChange> archive = [new SetState("C2", GoalState.Archived)];

        var simulated = graph.Simulate(archive, asOf);

        var applied = Build(tree);
        applied.Apply(archive, asOf).Accepted.Should().BeTrue();
        var after = applied.Analyze(asOf);
        simulated.FindingsAppeared.Count(f => f.Code == FindingCode.OrphanedGoal).Should().BeGreaterThan(1000);
        simulated.FindingsAppeared.Select(f => f.ToString()).Should().Equal(after.Except(before).Select(f => f.ToString()));
        simulated.FindingsDisappeared.Select(f => f.ToString()).Should().Equal(before.Except(after).Select(f => f.ToString()));
        graph.Analyze(asOf).Select(f => f.ToString()).Should().Equal(before.Select(f => f.ToString()));
    }

    [Test]
    public void Apply_Reparent_MovesValueBetweenParentsAndClearsOrphan()
    {
        var graph = Company();
        graph.Apply([new SetState("C2", GoalState.Archived)], AsOf);

        var result = graph.Apply([new RemoveEdge("OPS", "C2"), new AddEdge("OPS", new ParentLink("C1", 2))], AsOf);

        result.Accepted.Should().BeTrue();
        result.FindingsDisappeared.Codes().Should().Equal("EXCLUDED_PARENT OPS [C2]", "ORPHANED_GOAL OPS", "ORPHANED_GOAL OPS.KR1");
        graph.Result("C1").Progress.Should().BeApproximately((0.25 + (2 * 0.5)) / 3, 1e-12);
        graph.ShouldEqualFullRecomputation(AsOf);
    }

    [Test]
    public void Apply_EdgeThatClosesACycle_IsRefusedWholeWithTheCycle()
    {
        var graph = Company();
        var before = graph.Export();

        var result = graph.Apply([new CheckIn("OPS.KR1", 9), new AddEdge("C2", new ParentLink("OPS.KR1"))], AsOf);

        result.Accepted.Should().BeFalse();
        result.FailedOperation.Should().Be(1);
        result.Errors.Codes().Should().Equal("ALIGNMENT_CYCLE C2 [OPS,OPS.KR1]");
        graph.Export().Should().BeEquivalentTo(before, "the check-in before the refused operation is rolled back too");
    }

    [Test]
    public void Apply_RemoveGoalOthersAlignTo_IsRefusedNamingThem()
    {
        var graph = Company();

        var result = graph.Apply([new RemoveGoal("C1")], AsOf);

        result.Errors.Codes().Should().Equal("UNKNOWN_PARENT C1.KR1 [C1]");
        graph.Contains("C1").Should().BeTrue();
    }

    [Test]
    public void Apply_MissingGoal_IsReportedAsMissingNotAsFinding()
    {
        var result = Company().Apply([new SetState("NOPE", GoalState.Archived)], AsOf);

        result.Accepted.Should().BeFalse();
        result.Errors.Should().BeEmpty();
        result.Missing.Should().Equal(new MissingTarget(0, "NOPE", "there is no goal 'NOPE'"));
    }

    [TestCase(double.NaN)]
    [TestCase(double.NegativeInfinity)]
    public void Apply_NonFiniteCheckIn_IsInvalidMetric(double value)
    {
        var result = Company().Apply([new CheckIn("C1.KR1", value)], AsOf);

        result.Errors.Codes().Should().Equal("INVALID_METRIC C1.KR1");
    }

    [Test]
    public void Apply_CheckInOnAggregatingMetric_IsRefused()
    {
        var graph = GraphOf(
            Objective("C", GoalLevel.Company),
            Kr("ARR", "C", new Metric(MetricDirection.Increase, 30, 50, Unit: "M$", Aggregate: MetricAggregate.Sum)),
            Kr("EMEA", "ARR", Increase(10, 18, 12, "M$")),
            Kr("US", "ARR", Increase(20, 30, 26, "M$")));

        graph.Apply([new CheckIn("ARR", 40)], AsOf).Errors.Codes().Should().Equal("INVALID_METRIC ARR");
        graph.Apply([new CheckIn("EMEA", 16)], AsOf).Accepted.Should().BeTrue();
        graph.Result("ARR").Progress.Should().BeApproximately(0.6, 1e-12, "current is the sum 16 + 26 = 42, from 30 to 50");
    }

    [Test]
    public void Apply_Reweight_ChangesOnlyTheParentChain()
    {
        var graph = GraphOf(
            Objective("C", GoalLevel.Company),
            Kr("A", "C", Increase(0, 10, 10)),
            Kr("B", "C", Increase(0, 10, 0)));

        var result = graph.Apply([new SetWeight("A", "C", 3)], AsOf);

        result.Goals.Should().ContainSingle().Which.Should().Be(
            new GoalDelta("C", new GoalSnapshot(0.5, Health.OnTrack), new GoalSnapshot(0.75, Health.OnTrack)));
    }

    [Test]
    public void Apply_UpsertNewGoalThenRemoveIt_RestoresFindingsAndIds()
    {
        var graph = Company();
        var added = graph.Apply([new UpsertGoal(Objective("LONE", GoalLevel.Team))], AsOf);
        added.FindingsAppeared.Codes().Should().Equal("ORPHANED_GOAL LONE", "UNSUPPORTED_GOAL LONE");
        added.Goals.Should().ContainSingle().Which.Before.Should().BeNull();

        var removed = graph.Apply([new RemoveGoal("LONE")], AsOf);

        removed.FindingsDisappeared.Codes().Should().Equal("ORPHANED_GOAL LONE", "UNSUPPORTED_GOAL LONE");
        removed.Goals.Should().ContainSingle().Which.After.Should().BeNull();
        graph.AllIds.Should().NotContain("LONE");
    }

    [Test]
    public void Stage_DisposedWithoutCommit_ReadsAsChangedThenLeavesTheGraphAsItWas()
    {
        var graph = Company();
        var before = graph.Export();

        using (var staged = graph.Stage([new SetState("C2", GoalState.Archived)], AsOf))
        {
            staged.Result.FindingsAppeared.Should().NotBeEmpty();
            graph.StateOf("C2").Should().Be(GoalState.Archived, "a staged change reads as made until it is kept or undone");
            staged.TouchedGoals().Goals.Select(g => (g.Id, g.State)).Should().Equal(("C2", GoalState.Archived));
            var second = () => graph.Stage([new CheckIn("C1.KR1", 1)], AsOf);
            second.Should().Throw<InvalidOperationException>("one staged change at a time");
        }

        graph.Export().Should().BeEquivalentTo(before);
        graph.ShouldEqualFullRecomputation(AsOf);
    }

    [Test]
    public void Stage_Committed_KeepsTheChangeAndTakesTheNext()
    {
        var graph = Company();

        using (var staged = graph.Stage([new SetState("C2", GoalState.Archived), new RemoveGoal("OPS.KR1")], AsOf))
        {
            staged.Commit();
        }

        graph.StateOf("C2").Should().Be(GoalState.Archived);
        graph.AllIds.Should().NotContain("OPS.KR1");
        graph.Apply([new CheckIn("C1.KR1", 1)], AsOf).Accepted.Should().BeTrue();
        graph.ShouldEqualFullRecomputation(AsOf);
    }

    [Test]
    public void Stage_Refused_IsUndoneAlreadyAndCommitKeepsNothing()
    {
        var graph = Company();
        var before = graph.Export();

        using var staged = graph.Stage([new SetState("C2", GoalState.Archived), new CheckIn("NOPE", 1)], AsOf);
        staged.Commit();

        staged.Result.Accepted.Should().BeFalse();
        graph.Export().Should().BeEquivalentTo(before);
        graph.Apply([new CheckIn("C1.KR1", 1)], AsOf).Accepted.Should().BeTrue("a refused change leaves nothing open");
    }
}

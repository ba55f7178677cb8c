using static AlignmentEngine.Core.Tests.Trees;

namespace AlignmentEngine.Core.Tests;

public sealed class TreeEvaluatorTests
{
    [Test]
    public void Evaluate_WeightedCascade_RollsUpWeightedMeans()
    {
        var report = TreeEvaluator.Evaluate(Tree(
            Objective("C1", GoalLevel.Company),
            Kr("C1.KR1", "C1", Increase(30, 50, 38)),
            new GoalDefinition("C1.KR2", GoalType.KeyResult)
            {
                Parents = [new ParentLink("C1", 3)],
                Metric = new Metric(MetricDirection.Decrease, 5, 2, 4),
            }), AsOf);

        report.Valid.Should().BeTrue();
        report.Goals.Select(g => g.Id).Should().Equal("C1", "C1.KR1", "C1.KR2");
        report.Goals[0].Progress.Should().BeApproximately((0.4 + 3 * (1.0 / 3)) / 4, 1e-12);
        report.Goals[0].Expected.Should().BeApproximately(45.0 / 92, 1e-15);
        report.Goals[1].Level.Should().Be(GoalLevel.Company, "a goal without a level takes its primary parent's");
    }

    [Test]
    public void Evaluate_InvalidTree_ReportsOnlyErrorsAndNoGoals()
    {
        var report = TreeEvaluator.Evaluate(Tree(
            Objective("A", GoalLevel.Company, "C"),
            Objective("B", null, "A"),
            Objective("C", null, "B"),
            Objective("D", null, "NOPE"),
            Objective("D"),
            new GoalDefinition("E", GoalType.KeyResult)
            {
                Parents = [new ParentLink("A", 0)],
                Metric = Increase(5, 5),
            }), AsOf);

        report.Valid.Should().BeFalse();
        report.Goals.Should().BeEmpty();
        report.Findings.Codes().Should().Equal(
            "ALIGNMENT_CYCLE A [B,C]", "DUPLICATE_ID D", "INVALID_METRIC E", "INVALID_WEIGHT E [A]", "UNKNOWN_PARENT D [NOPE]");
    }

    [Test]
    public void Evaluate_SelfEdge_IsACycleOfOne()
    {
        var report = TreeEvaluator.Evaluate(Tree(Objective("A", GoalLevel.Company, "A")), AsOf);

        report.Findings.Codes().Should().Equal("ALIGNMENT_CYCLE A");
    }

    [Test]
    public void Evaluate_RepeatedParent_IsDuplicateAlignment()
    {
        var report = TreeEvaluator.Evaluate(Tree(Objective("A", GoalLevel.Company), Objective("B", null, "A", "A")), AsOf);

        report.Findings.Codes().Should().Equal("DUPLICATE_ALIGNMENT B [A]");
    }

    [Test]
    public void Evaluate_UndeclaredPeriodsAndReversedDates_AreInvalidPeriods()
    {
        var tree = Tree(
            Objective("A", GoalLevel.Company) with { Period = PeriodRef.Named("Q9") },
            Objective("B", null, "A") with { Period = PeriodRef.Of(new Period(new DateOnly(2026, 2, 1), new DateOnly(2026, 1, 1))) })
            with { DefaultPeriod = PeriodRef.Named("NOPE") };

        TreeEvaluator.Evaluate(tree, AsOf).Findings.Codes().Should().Equal("INVALID_PERIOD ", "INVALID_PERIOD A", "INVALID_PERIOD B");
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(1.5)]
    [TestCase(-0.1)]
    public void Evaluate_OverrideOutsideUnitRangeOrNotFinite_IsInvalidMetric(double value)
    {
        var report = TreeEvaluator.Evaluate(Tree(Objective("A", GoalLevel.Company) with { ProgressOverride = value }), AsOf);

        report.Findings.Codes().Should().Equal("INVALID_METRIC A");
    }

    [Test]
    public void Evaluate_MetricTable_GivesSpecProgressAndAttainment()
    {
        var report = TreeEvaluator.Evaluate(Tree(
            Objective("C", GoalLevel.Company),
            Kr("up", "C", Increase(0, 10, 14)),
            Kr("down", "C", new Metric(MetricDirection.Decrease, 5, 2, 6)),
            Kr("least", "C", new Metric(MetricDirection.AtLeast, 0, 40, 41)),
            Kr("most", "C", new Metric(MetricDirection.AtMost, 0, 3)),
            Kr("milestone", "C", new Metric(MetricDirection.Milestone, Current: 1)),
            Kr("fresh", "C", Increase(10, 20))), AsOf);

        var byId = report.Goals.ToDictionary(g => g.Id);
        (byId["up"].Progress, byId["up"].Attainment).Should().Be((1.0, 1.4));
        (byId["down"].Progress, byId["down"].Attainment).Should().Be((0.0, -1.0 / 3));
        byId["least"].Progress.Should().Be(1);
        byId["most"].Progress.Should().Be(0, "at_most with no current is 0");
        byId["milestone"].Progress.Should().Be(1);
        byId["fresh"].Progress.Should().Be(0, "current defaults to start");
    }

    [Test]
    public void Evaluate_HealthRules_FollowTheTableInOrder()
    {
        var future = new Period(new DateOnly(2027, 1, 1), new DateOnly(2027, 3, 31));
        var report = TreeEvaluator.Evaluate(Tree(
            Objective("C", GoalLevel.Company) with { ProgressOverride = 0.45 },
            Objective("archived", GoalLevel.Company) with { State = GoalState.Archived },
            Objective("later", null, "C") with { Period = PeriodRef.Of(future), ProgressOverride = 0 },
            Objective("risk", null, "C") with { ProgressOverride = 0.3 },
            Objective("off", null, "C") with { ProgressOverride = 0.2 },
            Objective("done", null, "C") with { ProgressOverride = 1 }), AsOf);
        var unplanned = TreeEvaluator.Evaluate(new GoalTree { Goals = [Objective("C", GoalLevel.Company)] }, AsOf);

        var health = report.Goals.ToDictionary(g => g.Id, g => g.Health);
        health.Should().Equal(new Dictionary<string, Health>
        {
            ["C"] = Health.OnTrack, // expected 0.489, 0.039 behind
            ["archived"] = Health.Inactive,
            ["later"] = Health.NotStarted,
            ["risk"] = Health.AtRisk, // 0.189 behind
            ["off"] = Health.OffTrack, // 0.289 behind
            ["done"] = Health.Achieved,
        });
        unplanned.Goals.Single().Health.Should().Be(Health.NoPeriod);
        unplanned.Goals.Single().Expected.Should().BeNull();
    }
}

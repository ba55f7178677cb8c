using static AlignmentEngine.Core.Tests.Trees;

namespace AlignmentEngine.Core.Tests;

/// <summary>semantics.md, health rules 5 and 6: the tolerances are compared with a slack of 1e-9.</summary>
public sealed class HealthToleranceTests
{
    // Ten days: on the 9th, 8 of 10 days have elapsed, so 0.8 is expected.
    private static readonly Period TenDays = new(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 10));

    // Twenty days: on the 12th, 11 of 20 days have elapsed, so 0.55 is expected.
    private static readonly Period TwentyDays = new(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 20));

    [Test]
    public void Health_TenPointsBehindInDecimal_IsOnTrack()
    {
        // 0.8 - 0.7 is 0.10000000000000009 in binary: above the on-track tolerance 0.1 without the slack.
        HealthOf(TenDays, new DateOnly(2026, 1, 9), current: 70).Should().Be(Health.OnTrack);
    }

    [Test]
    public void Health_TwentyFivePointsBehindInDecimal_IsAtRisk()
    {
        // 0.55 - 0.3 is 0.25000000000000006 in binary: above the at-risk tolerance 0.25 without the slack.
        HealthOf(TwentyDays, new DateOnly(2026, 1, 12), current: 30).Should().Be(Health.AtRisk);
    }

    [Test]
    public void Health_BeyondTheSlack_IsTheNextRule()
    {
        // 0.8 - 0.699 is 0.101: a real difference, far above the slack.
        HealthOf(TenDays, new DateOnly(2026, 1, 9), current: 69.9).Should().Be(Health.AtRisk);
        HealthOf(TwentyDays, new DateOnly(2026, 1, 12), current: 29.9).Should().Be(Health.OffTrack);
    }

    private static Health HealthOf(Period period, DateOnly asOf, double current)
    {
        var tree = new GoalTree
        {
            Goals = [Objective("C", GoalLevel.Company), Kr("C.KR", "C", Increase(0, 100, current))],
            DefaultPeriod = PeriodRef.Of(period),
        };
        var report = TreeEvaluator.Evaluate(tree, asOf);
        report.Valid.Should().BeTrue();
        return report.Goals.Single(g => g.Id == "C.KR").Health;
    }
}

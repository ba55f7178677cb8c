using System.Text.Json;
using AlignmentEngine.Core;

namespace AlignmentEngine.GoalFiles.Tests;

public sealed class RollupReportJsonTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 15);

    private static JsonElement Parse(RollupReport report) => JsonDocument.Parse(RollupReportJson.ToJson(report)).RootElement;

    private static string[] Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    [Test]
    public void ToJson_Report_HasExactlyTheSpecKeys()
    {
        var report = new RollupReport(
            AsOf,
            true,
            [new GoalResult("C1", 0.4, 0.4, 0.4891304347826087, Health.OnTrack, true, GoalLevel.Company, new Period(new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31)))],
            [new Finding(FindingCode.OrphanedGoal, "X1", ["A", "B"], "no parent at all")]);

        var root = Parse(report);

        Keys(root).Should().Equal("as_of", "valid", "goals", "findings");
        root.GetProperty("as_of").GetString().Should().Be("2026-11-15");
        root.GetProperty("valid").GetBoolean().Should().BeTrue();
        var goal = root.GetProperty("goals")[0];
        Keys(goal).Should().Equal("id", "progress", "attainment", "expected", "health", "counted", "level", "period");
        goal.GetProperty("id").GetString().Should().Be("C1");
        goal.GetProperty("progress").GetDouble().Should().Be(0.4);
        goal.GetProperty("expected").GetDouble().Should().Be(0.4891304347826087);
        goal.GetProperty("health").GetString().Should().Be("on_track");
        goal.GetProperty("counted").GetBoolean().Should().BeTrue();
        goal.GetProperty("level").GetString().Should().Be("company");
        Keys(goal.GetProperty("period")).Should().Equal("start", "end");
        goal.GetProperty("period").GetProperty("start").GetString().Should().Be("2026-10-01");
        goal.GetProperty("period").GetProperty("end").GetString().Should().Be("2026-12-31");
        var finding = root.GetProperty("findings")[0];
        Keys(finding).Should().Equal("code", "severity", "goal", "related", "message");
        finding.GetProperty("code").GetString().Should().Be("ORPHANED_GOAL");
        finding.GetProperty("severity").GetString().Should().Be("warning");
        finding.GetProperty("goal").GetString().Should().Be("X1");
        finding.GetProperty("related").EnumerateArray().Select(r => r.GetString()).Should().Equal("A", "B");
        finding.GetProperty("message").GetString().Should().Be("no parent at all");
    }

    [Test]
    public void ToJson_GoalWithoutPeriodOrLevel_WritesNulls()
    {
        var report = new RollupReport(AsOf, true, [new GoalResult("A", 0, 0, null, Health.NoPeriod, false, null, null)], []);

        var goal = Parse(report).GetProperty("goals")[0];

        goal.GetProperty("expected").ValueKind.Should().Be(JsonValueKind.Null);
        goal.GetProperty("level").ValueKind.Should().Be(JsonValueKind.Null);
        goal.GetProperty("period").ValueKind.Should().Be(JsonValueKind.Null);
        goal.GetProperty("health").GetString().Should().Be("no_period");
        goal.GetProperty("counted").GetBoolean().Should().BeFalse();
    }

    [Test]
    public void ToJson_InvalidReport_HasEmptyGoalsAndTheErrorsInOrder()
    {
        var report = new RollupReport(AsOf, false, [], [
            new Finding(FindingCode.AlignmentCycle, "A", ["B", "C"], "cycle"),
            new Finding(FindingCode.InvalidPeriod, string.Empty, [], "default period"),
        ]);

        var root = Parse(report);

        root.GetProperty("valid").GetBoolean().Should().BeFalse();
        root.GetProperty("goals").GetArrayLength().Should().Be(0);
        root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString())
            .Should().Equal("ALIGNMENT_CYCLE", "INVALID_PERIOD");
        root.GetProperty("findings")[1].GetProperty("goal").GetString().Should().BeEmpty();
    }

    [TestCase(1.0 / 3)]
    [TestCase(0.1 + 0.2)]
    [TestCase(5e-324)]
    [TestCase(1.0)]
    [TestCase(0.0)]
    public void ToJson_Doubles_RoundTripExactly(double value)
    {
        var report = new RollupReport(AsOf, true, [new GoalResult("A", value, value * 3, value, Health.OnTrack, true, null, null)], []);

        var goal = Parse(report).GetProperty("goals")[0];

        goal.GetProperty("progress").GetDouble().Should().Be(value);
        goal.GetProperty("attainment").GetDouble().Should().Be(value * 3);
    }

    [Test]
    public void ToJson_TextNeedingEscapes_StaysValidJson()
    {
        var report = new RollupReport(AsOf, true, [], [new Finding(FindingCode.OrphanedGoal, "a\"b\\c\n", [], "it's <fine> & ✓")]);

        var finding = Parse(report).GetProperty("findings")[0];

        finding.GetProperty("goal").GetString().Should().Be("a\"b\\c\n");
        finding.GetProperty("message").GetString().Should().Be("it's <fine> & ✓");
    }

    [Test]
    public void ToJson_EveryHealthAndSeverity_UsesSnakeCaseNames()
    {
        var goals = Enum.GetValues<Health>().Select(h => new GoalResult(h.ToString(), 0, 0, null, h, true, null, null)).ToArray();

        var written = Parse(new RollupReport(AsOf, true, goals, [])).GetProperty("goals").EnumerateArray()
            .Select(g => g.GetProperty("health").GetString());

        written.Should().Equal("inactive", "no_period", "not_started", "achieved", "on_track", "at_risk", "off_track");
    }
}

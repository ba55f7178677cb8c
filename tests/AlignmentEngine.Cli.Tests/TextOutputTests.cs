using AlignmentEngine.Cli.Internal;
using AlignmentEngine.Cli.Tests.Support;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Cli.Tests;

public sealed class TextOutputTests
{
    private static string Vector(string name) => Path.Combine(RepoPaths.Conformance, name);

    [Test]
    public void Rollup_Text_ShowsTheTreeWithBars()
    {
        var run = OkrProcess.RunDll("rollup", Vector("01-basic-rollup.yaml"));

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var lines = run.StandardOutput.Split('\n');
        lines.Should().Contain(l => l.StartsWith("└── C1 ████░░░░░░  38 %  expected 49 %  at_risk", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("    ├── C1.KR1 ████░░░░░░  40 %", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("        └── SALES █████░░░░░  50 %", StringComparison.Ordinal), "SALES hangs under C1.KR3");
        lines.Should().Contain(l => l.Contains("SALES.KR3 ██████████ 100 % (attainment 140 %)", StringComparison.Ordinal));
        run.StandardOutput.Should().Contain("No findings.");
    }

    [Test]
    public void Rollup_TextRedirected_HasNoAnsiCodes()
    {
        var run = OkrProcess.RunDll("rollup", Vector("02-priority-shift.yaml"));

        run.StandardOutput.Should().NotContain("\u001b[");
    }

    [Test]
    public void Rollup_ForceColour_ColoursEvenWhenRedirected()
    {
        var run = OkrProcess.RunDllWith(new Dictionary<string, string?> { ["FORCE_COLOR"] = "1", ["TERM"] = "xterm-256color" },
            "rollup", Vector("02-priority-shift.yaml"));

        run.StandardOutput.Should().Contain("\u001b[");
    }

    [Test]
    public void Rollup_NoColour_WinsOverForceColour()
    {
        var run = OkrProcess.RunDllWith(new Dictionary<string, string?> { ["FORCE_COLOR"] = "1", ["NO_COLOR"] = "1" },
            "rollup", Vector("02-priority-shift.yaml"));

        run.StandardOutput.Should().NotContain("\u001b[");
    }

    [Test]
    public void Rollup_ExcludedGoal_ShowsItsState()
    {
        var run = OkrProcess.RunDll("rollup", Vector("02-priority-shift.yaml"));

        run.StandardOutput.Split('\n').Should().Contain(l => l.Contains("C2 ", StringComparison.Ordinal) && l.Contains("inactive (archived)", StringComparison.Ordinal));
    }

    [Test]
    public void Rollup_GoalWithSeveralParents_IsMarkedAlsoAligned()
    {
        var run = OkrProcess.RunDll("rollup", Vector("02-priority-shift.yaml"));

        run.StandardOutput.Split('\n').Should().Contain(l => l.Contains("MKT ", StringComparison.Ordinal) && l.Contains("also aligned to C2", StringComparison.Ordinal));
    }

    [Test]
    public void Rollup_TextWithFindings_GroupsThemBySeverity()
    {
        var run = OkrProcess.RunDll("rollup", Vector("02-priority-shift.yaml"));

        run.StandardOutput.Should().Contain("Findings: 0 errors, 8 warnings, 0 info")
            .And.Contain("Warnings\n")
            .And.Contain("  EXCLUDED_PARENT MKT (related: C2): ");
    }

    [Test]
    public void Validate_InvalidTree_ListsErrors()
    {
        var run = OkrProcess.RunDll("validate", Vector("04-invalid.yaml"));

        run.ExitCode.Should().Be(ExitCodes.Findings);
        run.StandardOutput.Should().Contain("invalid").And.Contain("Errors\n").And.Contain("  ALIGNMENT_CYCLE A (related: B, C): ");
    }

    [Test]
    public void Rollup_HundredThousandLevelChain_CapsTheDisplayedDepth()
    {
        using var file = new TempGoalFile(GoalFileSamples.Chain(100_000));

        var run = OkrProcess.RunDll("rollup", file.Path);

        run.ExitCode.Should().Be(ExitCodes.Ok, run.StandardError);
        run.StandardOutput.Should().Contain($"... {100_000 - TextReportWriter.MaxDepth} more goals below (display depth limit {TextReportWriter.MaxDepth}");
        run.StandardOutput.Should().Contain($"L{TextReportWriter.MaxDepth - 1} ").And.NotContain($"L{TextReportWriter.MaxDepth} ");
    }

    [TestCase(0.0, "░░░░░░░░░░")]
    [TestCase(0.38, "████░░░░░░")]
    [TestCase(0.8, "████████░░")]
    [TestCase(1.0, "██████████")]
    [TestCase(1.7, "██████████")]
    [TestCase(-0.5, "░░░░░░░░░░")]
    public void Bar_Progress_FillsTenCells(double progress, string expected) =>
        TextReportWriter.Bar(progress).Should().Be(expected);

    [TestCase(0.4891304347826087, "49 %")]
    [TestCase(1.4, "140 %")]
    [TestCase(0.0, "0 %")]
    public void Percent_Fraction_IsWholePercent(double fraction, string expected) =>
        TextReportWriter.Percent(fraction).Should().Be(expected);
}

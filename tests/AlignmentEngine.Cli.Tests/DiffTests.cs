using System.Text.Json;
using AlignmentEngine.Cli.Tests.Support;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Cli.Tests;

public sealed class DiffTests
{
    [Test]
    public void Diff_PriorityShiftExample_ReportsExactlyTheOrphansAndValueChanges()
    {
        var run = OkrProcess.RunDll("diff", Examples.Before, Examples.After, "--format", "json");

        run.ExitCode.Should().Be(ExitCodes.Ok, "no error appears, and --fail-on defaults to error\n" + run);
        using var document = JsonDocument.Parse(run.StandardOutput);
        var root = document.RootElement;
        root.GetProperty("as_of").GetString().Should().Be("2026-11-15");
        var goals = root.GetProperty("goals");
        Ids(goals.GetProperty("added")).Should().BeEmpty();
        Ids(goals.GetProperty("removed")).Should().BeEmpty();

        // The review's two edits: MKT re-parented from C2 to C1.KR1 (keeping C2), C2 archived.
        var moved = goals.GetProperty("moved").EnumerateArray().Should().ContainSingle().Subject;
        (moved.GetProperty("id").GetString(), Ids(moved.GetProperty("old_parents")), Ids(moved.GetProperty("new_parents")))
            .Should().BeEquivalentTo(("MKT", new[] { "C2" }, new[] { "C1.KR1", "C2" }));
        var state = goals.GetProperty("state_changed").EnumerateArray().Should().ContainSingle().Subject;
        (state.GetProperty("id").GetString(), state.GetProperty("old").GetString(), state.GetProperty("new").GetString()).Should().Be(("C2", "active", "archived"));

        // By hand (semantics.md): period 2026-10-01..12-31 is 92 days, 45 elapsed on 11-15, so expected = 45/92 ≈ 0.489.
        // C2's value is the mean of its contributing, counted children C2.KR1 0.9, OPS 0.5 (= OPS.KR1 5/10) and
        // MKT 1 (at_most 3 with 2) = 0.8, before and after: an excluded goal's own progress is still computed. Its
        // health goes from on_track (0.489 - 0.8 <= 0.10) to inactive. MKT keeps its value: it has no metric, and
        // its only child MKT.KR1 is unchanged; C1.KR1 has a metric, so MKT under it changes nothing there.
        var changed = goals.GetProperty("changed").EnumerateArray().Should().ContainSingle().Subject;
        changed.GetProperty("id").GetString().Should().Be("C2");
        changed.GetProperty("old").GetProperty("progress").GetDouble().Should().BeApproximately((0.9 + 0.5 + 1.0) / 3, 1e-9);
        changed.GetProperty("new").GetProperty("progress").GetDouble().Should().BeApproximately((0.9 + 0.5 + 1.0) / 3, 1e-9);
        changed.GetProperty("old").GetProperty("health").GetString().Should().Be("on_track");
        changed.GetProperty("new").GetProperty("health").GetString().Should().Be("inactive");

        // Archiving C2 orphans what hangs only under it (C2.KR1, OPS, and OPS.KR1 through OPS) and flags every
        // counted goal aligned to it; MKT stays anchored through C1.KR1. LONE was an orphan already: no change.
        var findings = root.GetProperty("findings");
        Keys(findings.GetProperty("appeared")).Should().Equal(
            "EXCLUDED_PARENT C2.KR1 [C2]", "EXCLUDED_PARENT MKT [C2]", "EXCLUDED_PARENT OPS [C2]",
            "ORPHANED_GOAL C2.KR1 []", "ORPHANED_GOAL OPS []", "ORPHANED_GOAL OPS.KR1 []");
        Keys(findings.GetProperty("disappeared")).Should().BeEmpty();
    }

    [Test]
    public void Diff_FailOnWarning_BlocksAChangeThatOrphansGoals()
    {
        var run = OkrProcess.RunDll("diff", Examples.Before, Examples.After, "--fail-on", "warning");

        run.ExitCode.Should().Be(ExitCodes.Findings, run.ToString());
        var lines = run.StandardOutput.Split('\n');
        lines.Should().Contain("  moved    MKT: C2 → C1.KR1, C2").And.Contain("  state    C2: active → archived")
            .And.Contain("  changed  C2: 80 % on_track → 80 % inactive").And.Contain("Findings: 6 appeared, 0 disappeared");
        lines.Should().Contain(l => l.StartsWith("  + warning ORPHANED_GOAL OPS.KR1: ", StringComparison.Ordinal));
    }

    [Test]
    public void Diff_Reversed_FindingsDisappearAndNothingBlocks()
    {
        var run = OkrProcess.RunDll("diff", Examples.After, Examples.Before, "--fail-on", "warning");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.StandardOutput.Should().Contain("Findings: 0 appeared, 6 disappeared").And.Contain("  - warning ORPHANED_GOAL OPS: ");
    }

    [Test]
    public void Diff_AddedRemovedAndValues_AreListed()
    {
        const string Head = "as_of: 2026-11-15\nperiod: { start: 2026-10-01, end: 2026-12-31 }\ngoals:\n  - { id: C1, type: objective, level: company }\n";
        using var old = new TempGoalFile(Head + "  - { id: KR1, type: key_result, parents: [C1], metric: { direction: increase, target: 10, current: 2 } }\n  - { id: GONE, type: key_result, parents: [C1], metric: { direction: milestone, done: true } }\n");
        using var @new = new TempGoalFile(Head + "  - { id: KR1, type: key_result, parents: [C1], metric: { direction: increase, target: 10, current: 6 } }\n  - { id: NEW, type: key_result, title: Fresh, parents: [C1], metric: { direction: milestone } }\n");

        var run = OkrProcess.RunDll("diff", old.Path, @new.Path);

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var lines = run.StandardOutput.Split('\n');

        // C1 is the mean of its children: (0.2 + 1) / 2 = 60 % before, (0.6 + 0) / 2 = 30 % after (expected 49 %).
        lines.Should().Contain("  added    NEW \"Fresh\" (0 % off_track)").And.Contain("  removed  GONE (100 % achieved)")
            .And.Contain("  changed  C1: 60 % on_track → 30 % at_risk").And.Contain("  changed  KR1: 20 % off_track → 60 % on_track");
        run.StandardOutput.Should().Contain("Goals: 1 added, 1 removed, 0 moved, 0 state changed, 2 value or health changed");
    }

    [Test]
    public void Diff_NewVersionInvalid_ItsErrorsAppearAndFail()
    {
        using var broken = new TempGoalFile(File.ReadAllText(Examples.After).Replace("parents: [OPS]", "parents: [OPS.KR1]", StringComparison.Ordinal));

        var run = OkrProcess.RunDll("diff", Examples.After, broken.Path);

        run.ExitCode.Should().Be(ExitCodes.Findings, run.ToString());
        run.StandardOutput.Should().Contain("(new version invalid: not rolled up)").And.Contain("  + error ALIGNMENT_CYCLE OPS.KR1");
    }

    [Test]
    public void Diff_SameFile_SaysNoChange()
    {
        var run = OkrProcess.RunDll("diff", Examples.SmallCompany, Examples.SmallCompany, "--fail-on", "info");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.StandardOutput.Should().EndWith("No change to goals or findings.\n");
    }

    [Test]
    public void Diff_MissingFile_IsAUsageError()
    {
        var run = OkrProcess.RunDll("diff", Examples.Before, Path.Combine(RepoPaths.Root, "examples", "no-such-file.yaml"));

        run.ExitCode.Should().Be(ExitCodes.Usage, run.ToString());
        run.StandardError.Should().Contain("no-such-file.yaml");
    }

    [Test]
    public void Examples_AfterTheShift_IsTheSpecsPriorityShiftVector()
    {
        var run = OkrProcess.RunDll("rollup", Examples.After, "--format", "json");

        ConformanceComparison.ShouldMatchExpected(run.StandardOutput, File.ReadAllText(Path.Combine(RepoPaths.Conformance, "02-priority-shift.expected.json")));
    }

    [Test]
    public void Examples_SmallCompany_IsValidWithAFewWarnings()
    {
        var run = OkrProcess.RunDll("validate", Examples.SmallCompany, "--format", "json");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        using var document = JsonDocument.Parse(run.StandardOutput);
        document.RootElement.GetProperty("valid").GetBoolean().Should().BeTrue();
        Keys(document.RootElement.GetProperty("findings")).Should().Equal(
            "ORPHANED_GOAL HACKWEEK []", "PERIOD_MISMATCH ENG.KR3 [ENG]", "TARGET_SHORTFALL C1.KR1 [SALES-EU, SALES-US]", "UNSUPPORTED_GOAL HACKWEEK []");
    }

    private static string[] Ids(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static string[] Keys(JsonElement findings) =>
        [.. findings.EnumerateArray().Select(f => $"{f.GetProperty("code").GetString()} {f.GetProperty("goal").GetString()} [{string.Join(", ", Ids(f.GetProperty("related")))}]")];
}

using System.Text.Json;
using AlignmentEngine.Cli.Tests.Support;

namespace AlignmentEngine.Cli.Tests;

/// <summary>Each finding code of the spec, provoked by a small file and seen through the real process.</summary>
public sealed class FindingCodeTests
{
    private const string Header = "as_of: 2026-11-15\nperiod: { start: 2026-10-01, end: 2026-12-31 }\n";

    private static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string code, string severity, string goals) =>
            new TestCaseData(code, severity, Header + goals).SetArgDisplayNames(code);

        yield return Case("DUPLICATE_ID", "error", "goals: [{ id: A, type: objective, level: company }, { id: A, type: objective }]");
        yield return Case("UNKNOWN_PARENT", "error", "goals: [{ id: A, type: objective, parents: [NOPE] }]");
        yield return Case("DUPLICATE_ALIGNMENT", "error", "goals: [{ id: P, type: objective, level: company }, { id: A, type: objective, parents: [P, P] }]");
        yield return Case("ALIGNMENT_CYCLE", "error", "goals: [{ id: A, type: objective, parents: [B] }, { id: B, type: objective, parents: [A] }]");
        yield return Case("INVALID_METRIC", "error", "goals: [{ id: A, type: key_result, level: company, metric: { direction: increase, start: 5, target: 5 } }]");
        yield return Case("INVALID_WEIGHT", "error", "goals: [{ id: P, type: objective, level: company }, { id: A, type: objective, parents: [{ id: P, weight: -1 }] }]");
        yield return Case("INVALID_PERIOD", "error", "goals: [{ id: A, type: objective, level: company, period: Q9 }]");
        yield return Case("ORPHANED_GOAL", "warning", "goals: [{ id: A, type: objective, level: team, progress_override: 0.5 }]");
        yield return Case("EXCLUDED_PARENT", "warning",
            "goals: [{ id: P, type: objective, level: company, state: archived }, { id: A, type: objective, parents: [P], progress_override: 0.5 }]");
        yield return Case("PERIOD_MISMATCH", "warning", """
            goals:
              - { id: P, type: objective, level: company, period: { start: 2026-10-01, end: 2026-10-31 }, progress_override: 0.5 }
              - { id: A, type: objective, parents: [P], progress_override: 0.5, period: { start: 2026-10-01, end: 2026-12-31 } }
            """);
        yield return Case("LEVEL_INVERSION", "warning", """
            goals:
              - { id: P, type: objective, level: company, progress_override: 0.5 }
              - { id: T, type: objective, level: team, parents: [P], progress_override: 0.5 }
              - { id: A, type: objective, level: department, parents: [T], progress_override: 0.5 }
            """);
        yield return Case("CONFLICTING_METRICS", "warning", """
            goals:
              - { id: P, type: objective, level: company }
              - { id: A, type: key_result, parents: [P], metric: { direction: increase, start: 0, target: 10, key: x } }
              - { id: B, type: key_result, parents: [P], metric: { direction: at_most, target: 5, key: x } }
            """);
        yield return Case("UNSUPPORTED_GOAL", "warning", "goals: [{ id: A, type: objective, level: company }]");
        yield return Case("UNIT_MISMATCH", "warning", """
            goals:
              - { id: P, type: key_result, level: company, metric: { direction: increase, target: 10, unit: EUR, aggregate: sum } }
              - { id: A, type: key_result, parents: [P], metric: { direction: increase, target: 10, unit: EUR } }
              - { id: B, type: key_result, parents: [P], metric: { direction: increase, target: 10, unit: USD } }
            """);
        yield return Case("TARGET_SHORTFALL", "warning", """
            goals:
              - { id: P, type: key_result, level: company, metric: { direction: increase, target: 50, aggregate: sum } }
              - { id: A, type: key_result, parents: [P], metric: { direction: increase, target: 10 } }
            """);
        yield return Case("OVERLOADED_OWNER", "info", """
            settings: { max_objectives_per_owner: 1 }
            goals:
              - { id: A, type: objective, level: company, owner: bob, progress_override: 0.5 }
              - { id: B, type: objective, level: company, owner: bob, progress_override: 0.5 }
            """);
    }

    [TestCaseSource(nameof(Cases))]
    public void Rollup_FileWithTheProblem_ReportsTheCodeAndFailsAtItsSeverity(string code, string severity, string content)
    {
        using var file = new TempGoalFile(content);

        var run = OkrProcess.RunDll("rollup", file.Path, "--format", "json", "--fail-on", severity);

        run.ExitCode.Should().Be(ExitCodes.Findings, run.ToString());
        var findings = JsonDocument.Parse(run.StandardOutput).RootElement.GetProperty("findings").EnumerateArray().ToArray();
        findings.Should().Contain(f => f.GetProperty("code").GetString() == code && f.GetProperty("severity").GetString() == severity, run.ToString());
    }

    [TestCaseSource(nameof(Cases))]
    public void Validate_FileWithTheProblem_FailsOnlyOnErrorsByDefault(string code, string severity, string content)
    {
        using var file = new TempGoalFile(content);

        var run = OkrProcess.RunDll("validate", file.Path);

        run.ExitCode.Should().Be(severity == "error" ? ExitCodes.Findings : ExitCodes.Ok, run.ToString());
        run.StandardOutput.Should().Contain(code);
    }

    [TestCase(".nan")]
    [TestCase(".inf")]
    [TestCase("1e999")]
    public void Rollup_NonFiniteNumber_IsInvalidMetric(string number)
    {
        using var file = new TempGoalFile(Header + $"goals: [{{ id: A, type: key_result, level: company, metric: {{ direction: increase, target: 10, current: {number} }} }}]");

        var run = OkrProcess.RunDll("rollup", file.Path, "--format", "json");

        run.ExitCode.Should().Be(ExitCodes.Findings, run.ToString());
        run.StandardOutput.Should().Contain("\"INVALID_METRIC\"");
    }
}

using System.Text.Json;
using AlignmentEngine.Cli.Tests.Support;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Cli.Tests;

/// <summary>Every conformance vector through <c>scripts/okr</c>, the way a user or a pipeline runs it.</summary>
public sealed class ConformanceTests
{
    [Test]
    public void ConformanceVectors_Exist() => RepoPaths.ConformanceVectors().Should().NotBeEmpty();

    [TestCaseSource(typeof(RepoPaths), nameof(RepoPaths.ConformanceCases))]
    public void ScriptRollupJson_ConformanceVector_MatchesExpected(string path)
    {
        var expectedJson = File.ReadAllText(RepoPaths.ExpectedFor(path));

        var run = OkrProcess.RunScript("rollup", path, "--format", "json");

        var hasErrors = JsonDocument.Parse(expectedJson).RootElement.GetProperty("findings").EnumerateArray()
            .Any(f => f.GetProperty("severity").GetString() == "error");
        run.ExitCode.Should().Be(hasErrors ? ExitCodes.Findings : ExitCodes.Ok, run.ToString());
        run.StandardError.Should().BeEmpty();
        ConformanceComparison.ShouldMatchExpected(run.StandardOutput, expectedJson);
    }
}

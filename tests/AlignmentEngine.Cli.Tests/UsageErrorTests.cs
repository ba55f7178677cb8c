using AlignmentEngine.Cli.Tests.Support;

namespace AlignmentEngine.Cli.Tests;

/// <summary>Files that are not goal files and bad arguments: exit 2, one clear line on stderr, no stack trace.</summary>
public sealed class UsageErrorTests
{
    private static void ShouldBeUsageError(OkrRun run, string expectedStderr)
    {
        run.ExitCode.Should().Be(ExitCodes.Usage, run.ToString());
        run.StandardOutput.Should().BeEmpty();
        run.StandardError.Should().Contain(expectedStderr);
        run.StandardError.Should().NotContain("   at ").And.NotContain("Exception");
    }

    [TestCase("validate")]
    [TestCase("rollup")]
    public void Command_EmptyFile_IsUsageErrorAtTheStart(string command)
    {
        using var file = new TempGoalFile(string.Empty);

        ShouldBeUsageError(OkrProcess.RunDll(command, file.Path), $"{file.Path}:1:1: the file is empty");
    }

    [Test]
    public void Rollup_NotYaml_IsUsageErrorWithPosition()
    {
        using var file = new TempGoalFile("goals: [ { id: A\n  - broken: [\n");

        var run = OkrProcess.RunDll("rollup", file.Path);

        ShouldBeUsageError(run, $"{file.Path}:");
        run.StandardError.Should().MatchRegex(@":\d+:\d+: not valid YAML or JSON");
    }

    [Test]
    public void Rollup_UnknownGoalKey_IsUsageErrorAtTheKey()
    {
        using var file = new TempGoalFile("goals:\n  - id: A\n    type: objective\n    titel: Typo\n");

        ShouldBeUsageError(OkrProcess.RunDll("rollup", file.Path), $"{file.Path}:4:5: unknown goal key 'titel'");
    }

    [Test]
    public void Rollup_DuplicateKey_IsUsageErrorAtTheSecondKey()
    {
        using var file = new TempGoalFile("goals:\n  - id: A\n    type: objective\n    type: key_result\n");

        ShouldBeUsageError(OkrProcess.RunDll("rollup", file.Path), $"{file.Path}:4:5: duplicate key 'type'");
    }

    [Test]
    public void Rollup_BadEnumInJson_IsUsageErrorAtTheValue()
    {
        using var file = new TempGoalFile("{\"goals\": [{\"id\": \"A\", \"type\": \"objective\", \"state\": \"asleep\"}]}", ".json");

        ShouldBeUsageError(OkrProcess.RunDll("rollup", file.Path), $"{file.Path}:1:54: unknown state 'asleep'");
    }

    [Test]
    public void Rollup_MissingFile_IsUsageError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"okr-missing-{Guid.NewGuid():N}.yaml");

        ShouldBeUsageError(OkrProcess.RunDll("rollup", path), $"{path}:1:1: cannot read the file");
    }

    [TestCase("rollup", "--format", "xml")]
    [TestCase("rollup", "--fail-on", "fatal")]
    [TestCase("rollup", "--as-of", "2026-13-01")]
    [TestCase("rollup", "--as-of", "tomorrow")]
    [TestCase("rollup")]
    [TestCase("explode")]
    public void Command_BadArguments_IsUsageError(params string[] args)
    {
        using var file = new TempGoalFile("goals: []");
        var withFile = args.Length > 1 || args[0] == "explode" ? args.Append(file.Path).ToArray() : args;

        ShouldBeUsageError(OkrProcess.RunDll(withFile), args[0] == "explode" ? "okr: " : $"okr {args[0]}: ");
    }

    [Test]
    public void Help_PrintsUsage_AndSucceeds()
    {
        var run = OkrProcess.RunDll("rollup", "--help");

        run.ExitCode.Should().Be(ExitCodes.Ok);
        run.StandardOutput.Should().Contain("--as-of").And.Contain("--format").And.Contain("--fail-on");
    }

    [Test]
    public void ServeHelp_ListsTheRequestBodyTimeout()
    {
        var run = OkrProcess.RunDll("serve", "--help");

        run.ExitCode.Should().Be(ExitCodes.Ok);
        run.StandardOutput.Should().Contain("--request-body-timeout").And.Contain("DEADLINE_EXCEEDED");
    }
}

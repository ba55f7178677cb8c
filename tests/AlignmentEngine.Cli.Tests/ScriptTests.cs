using AlignmentEngine.Cli.Tests.Support;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Cli.Tests;

/// <summary><c>scripts/okr</c> as a user meets it: it says what it is doing while it builds, on stderr only.</summary>
public sealed class ScriptTests
{
    [Test]
    public void Script_SourceNewerThanTheBuild_SaysItIsBuildingOnStderrAndKeepsStdoutOkrs()
    {
        // A source newer than the build (content unchanged, so git sees nothing) makes the script build again.
        var program = Path.Combine(RepoPaths.Root, "src", "AlignmentEngine.Cli", "Program.cs");
        File.SetLastWriteTimeUtc(program, DateTime.UtcNow);

        var built = OkrProcess.RunScript("rollup", Examples.SmallCompany, "--format", "json");

        built.ExitCode.Should().Be(ExitCodes.Ok, built.ToString());
        built.StandardError.Should().MatchRegex(@"^okr: (sources changed since the last build|building the command line \(Release\) for the first time)");
        built.StandardError.Should().MatchRegex(@"okr: built in \d+ s\n$");
        built.StandardOutput.Should().StartWith("{", "the build's words never reach stdout");

        var again = OkrProcess.RunScript("rollup", Examples.SmallCompany, "--format", "json");

        again.StandardError.Should().BeEmpty("a fresh build is not built again");
        again.StandardOutput.Should().Be(built.StandardOutput);
    }
}

using System.Text.Json;
using AlignmentEngine.Cli.Tests.Support;
using AlignmentEngine.GoalFiles;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Cli.Tests;

/// <summary><c>okr generate</c> and <c>okr scenario</c>, run as real processes.</summary>
public sealed class GenerateAndScenarioTests
{
    [Test]
    public void Generate_SizeAndSeed_WritesAValidTreeOfThatSizeDeterministically()
    {
        // Tests of this assembly run in parallel: each keeps its files to itself.
        var directory = Directory.CreateTempSubdirectory("okr-generate-").FullName;
        try
        {
            GenerateAndCheck(directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void GenerateAndCheck(string directory)
    {
        var first = Path.Combine(directory, "a.yaml");
        var again = Path.Combine(directory, "b.yaml");
        var other = Path.Combine(directory, "c.yaml");

        OkrProcess.RunDll("generate", "--goals", "3000", "--seed", "5", "-o", first).ExitCode.Should().Be(0);
        OkrProcess.RunDll("generate", "--goals", "3000", "--seed", "5", "-o", again).ExitCode.Should().Be(0);
        OkrProcess.RunDll("generate", "--goals", "3000", "--seed", "6", "-o", other).ExitCode.Should().Be(0);

        File.ReadAllText(again).Should().Be(File.ReadAllText(first), "the same seed and size give the same file");
        File.ReadAllText(other).Should().NotBe(File.ReadAllText(first));
        GoalFileReader.Default.ReadFile(first).Document!.Tree.Goals.Should().HaveCount(3000);
        var validate = OkrProcess.RunDll("validate", first);
        validate.ExitCode.Should().Be(0, validate.ToString());
        validate.StandardOutput.Should().Contain("0 errors");
    }

    [Test]
    public void Generate_NoSize_IsAUsageError()
    {
        OkrProcess.RunDll("generate").ExitCode.Should().Be(2);
        OkrProcess.RunDll("generate", "--goals", "0").ExitCode.Should().Be(2);
    }

    [Test]
    public void Scenario_ArchiveTheOnlyCompanyObjective_OrphansEverythingBeneathIt()
    {
        // 01-basic-rollup has one company objective, C1, with seven goals beneath it.
        var run = OkrProcess.RunDll("scenario", "archive-company-objectives", "--file", Path.Combine(RepoPaths.Conformance, "01-basic-rollup.yaml"), "--format", "json");

        run.ExitCode.Should().Be(0, run.ToString());
        using var report = JsonDocument.Parse(run.StandardOutput);
        var root = report.RootElement;
        root.GetProperty("changes").GetInt32().Should().Be(1);
        root.GetProperty("newly_orphaned").EnumerateArray().Select(e => e.GetString()).Should().Equal(
            "C1.KR1", "C1.KR2", "C1.KR3", "SALES", "SALES.KR1", "SALES.KR2", "SALES.KR3");
        root.GetProperty("health_before").GetProperty("at_risk").GetInt32().Should().Be(2, "C1 and C1.KR2");
        root.GetProperty("health_after").GetProperty("at_risk").GetInt32().Should().Be(1, "C1 is now inactive");
        root.GetProperty("health_after").GetProperty("inactive").GetInt32().Should().Be(1);
        root.GetProperty("findings_appeared").GetProperty("EXCLUDED_PARENT").GetInt32().Should().Be(3, "C1.KR1, C1.KR2 and C1.KR3 point at C1");
        root.GetProperty("largest_changes").GetArrayLength().Should().Be(0, "archiving changes no value: C1's own progress is still computed");
        var change = root.GetProperty("changes_listed").EnumerateArray().Should().ContainSingle().Subject;
        change.GetProperty("kind").GetString().Should().Be("state");
        change.GetProperty("text").GetString().Should().StartWith("archived C1");
        root.GetProperty("health_changed").EnumerateArray().Select(e => (e.GetProperty("id").GetString(), e.GetProperty("after").GetString()))
            .Should().Contain(("C1", "inactive"), "the company objective comes first");
    }

    [Test]
    public void Scenario_MoveDepartment_SaysWhichDepartmentMovedFromWhereToWhere()
    {
        var run = OkrProcess.RunDll("scenario", "move-department", "--generate", "1000");

        run.ExitCode.Should().Be(0, run.ToString());
        run.StandardOutput.Should().Contain("move-department: 1 change,").And.MatchRegex(@"the change\n  moved D\d+ \(.+\) from C\d\.KR\d to C\d\.KR\d\n");
    }

    [Test]
    public void Scenario_Markdown_IsAWikiPageWithTheChangeAndHealthTables()
    {
        var run = OkrProcess.RunDll("scenario", "reweight", "--generate", "1000", "--top", "3", "--format", "markdown");

        run.ExitCode.Should().Be(0, run.ToString());
        var lines = run.StandardOutput.Split('\n');
        lines[0].Should().Be("## Scenario `reweight`");
        lines.Should().Contain("### The change").And.Contain("### Health").And.Contain("| health | before | after | change |");
        lines.Count(l => l.StartsWith("- weight of ", StringComparison.Ordinal)).Should().Be(3, "--top 3 changes are listed");
        lines.Should().Contain(l => l.StartsWith("- … and ", StringComparison.Ordinal) && l.EndsWith(" more", StringComparison.Ordinal));
        lines.Should().Contain("### Health changed (highest level first)");
    }

    [Test]
    public void Scenario_GeneratedOrganisationAsText_PrintsTheSummaryTables()
    {
        var run = OkrProcess.RunDll("scenario", "reweight", "--generate", "2000", "--seed", "3", "--top", "3");

        run.ExitCode.Should().Be(0, run.ToString());
        run.StandardOutput.Should().Contain("reweight:").And.Contain("the change\n  weight of ").And.Contain("│ health").And.Contain("health changed").And.Contain("largest value changes").And.Contain("newly orphaned");
        run.StandardOutput.Should().NotContain("%]", "no progress bar is drawn into a pipe");
    }

    [Test]
    public void Scenario_NoOrganisation_IsAUsageError()
    {
        var run = OkrProcess.RunDll("scenario", "reweight");

        run.ExitCode.Should().Be(2);
        run.StandardError.Should().Contain("--file FILE or --generate N");
    }
}

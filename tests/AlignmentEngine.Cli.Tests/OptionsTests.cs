using System.Diagnostics;
using System.Text.Json;
using AlignmentEngine.Cli.Tests.Support;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Cli.Tests;

public sealed class OptionsTests
{
    private static string Vector(string name) => Path.Combine(RepoPaths.Conformance, name);

    private static JsonElement Json(OkrRun run) => JsonDocument.Parse(run.StandardOutput).RootElement;

    [Test]
    public void FailOn_Warning_TurnsWarningsIntoExitOne()
    {
        // 02 has warnings and no error.
        var byDefault = OkrProcess.RunDll("validate", Vector("02-priority-shift.yaml"));
        var onWarnings = OkrProcess.RunDll("validate", Vector("02-priority-shift.yaml"), "--fail-on", "warning");

        byDefault.ExitCode.Should().Be(ExitCodes.Ok, byDefault.ToString());
        onWarnings.ExitCode.Should().Be(ExitCodes.Findings, onWarnings.ToString());
    }

    [Test]
    public void FailOn_Info_IgnoresNothing()
    {
        var run = OkrProcess.RunDll("validate", Vector("01-basic-rollup.yaml"), "--fail-on", "info");

        // 01 has no findings at all.
        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
    }

    [Test]
    public void AsOf_Option_WinsOverTheFile()
    {
        var run = OkrProcess.RunDll("rollup", Vector("01-basic-rollup.yaml"), "--format", "json", "--as-of", "2026-12-31");

        var root = Json(run);
        root.GetProperty("as_of").GetString().Should().Be("2026-12-31");
        var c1 = root.GetProperty("goals").EnumerateArray().Single(g => g.GetProperty("id").GetString() == "C1");
        c1.GetProperty("expected").GetDouble().Should().BeApproximately(91.0 / 92, 1e-12);
    }

    [Test]
    public void AsOf_Absent_UsesTheFilesDate()
    {
        var run = OkrProcess.RunDll("rollup", Vector("01-basic-rollup.yaml"), "--format", "json");

        Json(run).GetProperty("as_of").GetString().Should().Be("2026-11-15");
    }

    [Test]
    public void AsOf_AbsentEverywhere_UsesTodayUtc()
    {
        var before = DateOnly.FromDateTime(DateTime.UtcNow);

        var run = OkrProcess.RunDll("rollup", Vector("04-invalid.yaml"), "--format", "json");

        var asOf = DateOnly.Parse(Json(run).GetProperty("as_of").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        asOf.Should().BeOnOrAfter(before).And.BeOnOrBefore(DateOnly.FromDateTime(DateTime.UtcNow));
    }

    [Test]
    public void Validate_JsonFormat_IsTheRollupDocument()
    {
        var validate = OkrProcess.RunDll("validate", Vector("03-conflicts.yaml"), "--format", "json");
        var rollup = OkrProcess.RunDll("rollup", Vector("03-conflicts.yaml"), "--format", "json");

        validate.StandardOutput.Should().Be(rollup.StandardOutput);
    }

    [Test]
    public void File_Dash_ReadsStandardInput()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { OkrProcess.OkrDll, "rollup", "-", "--format", "json" }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.StandardInput.Write(File.ReadAllText(Vector("01-basic-rollup.yaml")));
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit(60_000).Should().BeTrue();

        process.ExitCode.Should().Be(ExitCodes.Ok);
        JsonDocument.Parse(output).RootElement.GetProperty("goals").GetArrayLength().Should().Be(8);
    }

    [Test]
    public void Rollup_TenMegabyteFile_Works()
    {
        using var file = new TempGoalFile(GoalFileSamples.Large(10 * 1024 * 1024));

        var run = OkrProcess.RunDll("rollup", file.Path, "--format", "json");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.StandardError);
        var root = Json(run);
        root.GetProperty("valid").GetBoolean().Should().BeTrue();
        root.GetProperty("goals").GetArrayLength().Should().BeGreaterThan(40_000);
    }
}

using System.Diagnostics;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.EndToEnd.Tests;

/// <summary>
/// The soak driver (benchmarks/AlignmentEngine.Soak, run at length by scripts/soak) for a few seconds against a real
/// okr serve: it must find no error and every watcher must see every version in order. Memory is not judged in so
/// short a run (no --server-pid); the real soak judges it.
/// </summary>
public sealed class SoakDriverTests
{
    [Test]
    public void ShortRun_NoErrors_EveryWatcherSawEveryVersion()
    {
        var folder = Path.Combine(Path.GetTempPath(), "okr-e2e-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            // Built with the solution (scripts/test builds it), not referenced: a test project references no benchmark.
            var soak = Path.Combine(RepoPaths.Root, "benchmarks", "AlignmentEngine.Soak", "bin", "Release", "net10.0", "AlignmentEngine.Soak.dll");
            if (!File.Exists(soak)) Assert.Ignore($"the soak driver is not built ({soak}): build the solution in Release first");
            using var server = OkrServer.Start($"sqlite:{Path.Combine(folder, "alignment.db")}");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[]
            {
                soak, "--address", server.Address.ToString(), "--minutes", "0.08",
                "--writers", "1", "--readers", "1", "--watchers", "2", "--departments", "3", "--key-results", "3",
            })
            {
                start.ArgumentList.Add(arg);
            }

            using var driver = Process.Start(start)!;
            var output = driver.StandardOutput.ReadToEndAsync();
            var errors = driver.StandardError.ReadToEndAsync();
            if (!driver.WaitForExit(TimeSpan.FromMinutes(3))) driver.Kill(entireProcessTree: true);
            driver.WaitForExit();

            driver.ExitCode.Should().Be(0, output.Result + errors.Result);
            output.Result.Should().Contain("soak: PASSED").And.Contain("| write: check-in |").And.Contain("| read: GetRollup |");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

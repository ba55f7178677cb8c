using System.Diagnostics;

namespace AlignmentEngine.Tests.Shared;

/// <summary>Runs a script of tests/interop with Node (its npm packages installed by scripts/test).</summary>
internal static class NodeScript
{
    public static string Directory => Path.Combine(RepoPaths.Root, "tests", "interop");

    /// <summary>Skips the calling test, with the reason, where the npm packages are not installed.</summary>
    public static void RequirePackages()
    {
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "@grpc", "grpc-js")))
        {
            Assert.Ignore("the interop client's npm packages are not installed: scripts/test installs them (scripts/test.d/10-npm.sh)");
        }
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "node timed out\n" + await stdout + await stderr);
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}

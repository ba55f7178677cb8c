using System.Diagnostics;

namespace AlignmentEngine.Storage.Tests.Support;

/// <summary>What one run of <c>okr keys …</c> did.</summary>
internal sealed record OkrKeysRun(int ExitCode, string Output, string Error);

/// <summary><c>okr keys</c> as a real process (the okr.dll built next to the tests).</summary>
internal static class OkrKeys
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static OkrKeysRun Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(TestContext.CurrentContext.TestDirectory, "okr.dll"), "keys" }.Concat(args)) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start okr keys");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"okr keys {string.Join(' ', args)} did not finish within {Timeout}");
        }

        process.WaitForExit();
        return new OkrKeysRun(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}

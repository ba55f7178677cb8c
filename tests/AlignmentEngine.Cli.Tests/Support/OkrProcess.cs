using System.Diagnostics;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Cli.Tests.Support;

/// <summary>What one run of okr did.</summary>
internal sealed record OkrRun(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>
/// Runs okr as a real process: through <c>scripts/okr</c> (what users and CI run) or straight from the
/// okr.dll built next to the tests (fast, for everything else).
/// </summary>
internal static class OkrProcess
{
    private static readonly TimeSpan DllTimeout = TimeSpan.FromMinutes(2);

    // The script may have to build the CLI first.
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(6);

    public static string OkrDll => Path.Combine(TestContext.CurrentContext.TestDirectory, "okr.dll");

    public static OkrRun RunDll(params string[] args) => Run("dotnet", [OkrDll, .. args], DllTimeout);

    /// <summary>Runs okr.dll with extra environment variables (null removes one).</summary>
    public static OkrRun RunDllWith(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Run("dotnet", [OkrDll, .. args], DllTimeout, environment);

    public static OkrRun RunScript(params string[] args) =>
        Run(Path.Combine(RepoPaths.Root, "scripts", "okr"), args, ScriptTimeout);

    private static OkrRun Run(string program, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);

        // Colour only when asked: the tests check the plain output a pipeline gets.
        start.Environment.Remove("FORCE_COLOR");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"okr {string.Join(' ', args)} did not finish within {timeout}");
        }

        process.WaitForExit();
        return new OkrRun(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}

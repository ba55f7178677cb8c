using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AlignmentEngine.Tests.Shared;

/// <summary>
/// A real <c>okr serve</c> process (the okr.dll built next to the test assembly) on a free loopback port, for
/// tests that need the service as users run it: another gRPC implementation calling it, or a process to kill.
/// </summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServeProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<ServeProcess> StartAsync(params string[] extraArgs)
    {
        var okr = Path.Combine(TestContext.CurrentContext.TestDirectory, "okr.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var arg in new[] { okr, "serve", "--address", "127.0.0.1:0" }.Concat(extraArgs)) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start okr serve");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? string.Empty;
        var match = Listening().Match(line);
        if (!match.Success)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"okr serve did not start: {line}{await process.StandardError.ReadToEndAsync()}");
        }

        _ = process.StandardOutput.ReadToEndAsync(); // keep the pipe drained
        _ = process.StandardError.ReadToEndAsync();
        return new ServeProcess(process, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"listening on http://127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}

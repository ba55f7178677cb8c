using System.Diagnostics;
using System.Globalization;

namespace AlignmentEngine.Interop.Tests;

/// <summary>The real InteropServer, started as its own process on a free port, as the npm clients see it.</summary>
internal sealed class InteropServerProcess : IDisposable
{
    private readonly Process _process;

    private InteropServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static InteropServerProcess Start()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(TestPaths.InteropServerDll);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add("0");
        info.ArgumentList.Add("--stop-on-stdin-eof");
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the interop server.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                TestContext.Progress.WriteLine("[interop-server] " + e.Data);
            }
        };
        process.BeginErrorReadLine();
        var line = process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        const string prefix = "listening on port ";
        if (line is null || !line.StartsWith(prefix, StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"Interop server did not start: '{line}'.");
        }

        return new InteropServerProcess(process, int.Parse(line[prefix.Length..], CultureInfo.InvariantCulture));
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            // Closing stdin asks it to stop; kill only if it does not.
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AlignmentEngine.Storage.Tests.Support;

/// <summary>
/// A silo of a PostgreSQL-membership cluster as a real process (AlignmentEngine.ClusterSilo, built next to the
/// tests), holding the WhereaboutsGrain it was asked to activate. <see cref="Kill"/> is SIGKILL: the silo writes
/// nothing more, to the membership table or to its peers, as after a crash.
/// </summary>
internal sealed class SiloProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private SiloProcess(Process process, string address, int siloPort)
    {
        _process = process;
        Address = address;
        SiloPort = siloPort;
    }

    /// <summary>Its silo address as Orleans prints it (endpoint and generation), which the grain reports.</summary>
    public string Address { get; }

    public int SiloPort { get; }

    public static SiloProcess Start(string connectionString, string clusterId, string grainKey)
    {
        var siloPort = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     Path.Combine(TestContext.CurrentContext.TestDirectory, "AlignmentEngine.ClusterSilo.dll"), connectionString, clusterId,
                     siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture), grainKey,
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo process");
        var stderr = process.StandardError.ReadToEndAsync();
        // Orleans prints notes of its own on stdout before ours.
        var ready = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("ready ", StringComparison.Ordinal)) return line;
            }

            return null;
        });
        if (!ready.Wait(StartTimeout) || ready.Result is null)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the silo process did not start: {stderr.GetAwaiter().GetResult()}");
            throw new InvalidOperationException();
        }

        _ = process.StandardOutput.ReadToEndAsync();
        return new SiloProcess(process, ready.Result["ready ".Length..], siloPort);
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}

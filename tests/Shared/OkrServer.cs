using System.Diagnostics;
using System.Text.RegularExpressions;
using Grpc.Net.Client;

namespace AlignmentEngine.Tests.Shared;

/// <summary>
/// <c>okr serve</c> as a real process (the okr.dll built next to the tests) on a loopback port it picks, with a
/// client to it. <see cref="Kill"/> is SIGKILL: no shutdown code runs.
/// </summary>
internal sealed partial class OkrServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly GrpcChannel _channel;
    private readonly Task<string> _stderr;

    private OkrServer(Process process, string startLine, Uri address, Task<string> stderr, GrpcChannelOptions? channel)
    {
        _process = process;
        _stderr = stderr;
        StartLine = startLine;
        Address = address;
        _channel = GrpcChannel.ForAddress(address, channel ?? new GrpcChannelOptions());
        Client = new AlignmentClient(_channel);
    }

    public AlignmentClient Client { get; }

    /// <summary>What it said at start (where it listens, what it serves, its store).</summary>
    public string StartLine { get; }

    /// <summary>Where it listens, as it said at start (http:// or https://; an address on every interface is reached on 127.0.0.1).</summary>
    public Uri Address { get; }

    /// <summary>Its cleartext HTTP/1.1 endpoint (<c>--http-address</c>), as it said at start; null without one.</summary>
    public Uri? HttpAddress { get; private init; }

    /// <summary>The process's id (to read what it holds open from /proc).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The port it listens on, for clients of other implementations.</summary>
    public int Port => Address.Port;

    public static OkrServer Start(string store, params string[] extraArgs) => Start(store, null, extraArgs);

    /// <summary>Starts okr serve with a client configured by <paramref name="channel"/> (e.g. one that trusts a test certificate).</summary>
    public static OkrServer Start(string store, GrpcChannelOptions? channel, params string[] extraArgs) => StartAt("127.0.0.1:0", store, channel, extraArgs);

    /// <summary>Starts okr serve listening on <paramref name="address"/> (HOST:PORT); with a null <paramref name="store"/>, without --store.</summary>
    public static OkrServer StartAt(string address, string? store, GrpcChannelOptions? channel, params string[] extraArgs)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] storeArgs = store is null ? [] : ["--store", store];
        foreach (var arg in new[] { Path.Combine(TestContext.CurrentContext.TestDirectory, "okr.dll"), "serve", "--address", address }.Concat(storeArgs).Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start okr serve");
        var stderr = process.StandardError.ReadToEndAsync();
        var firstLine = process.StandardOutput.ReadLineAsync();
        if (!firstLine.Wait(StartTimeout) || firstLine.Result is not { } line)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"okr serve did not start: {stderr.GetAwaiter().GetResult()}");
            throw new InvalidOperationException();
        }

        // "okr serve: listening on http://127.0.0.1:PORT/, store ..."
        var match = Listening().Match(line);
        if (!match.Success) Assert.Fail($"okr serve said '{line}'");
        _ = process.StandardOutput.ReadToEndAsync();
        var listening = new UriBuilder(match.Groups[1].Value);
        if (listening.Host is "0.0.0.0" or "[::]") listening.Host = "127.0.0.1";
        var http = HttpListening().Match(line);
        return new OkrServer(process, line, listening.Uri, stderr, channel) { HttpAddress = http.Success ? new Uri(http.Groups[1].Value) : null };
    }

    /// <summary>Everything it wrote to standard error (its log), once it has exited (after <see cref="Terminate"/> or <see cref="Kill"/>).</summary>
    public string ErrorOutput => _process.HasExited ? _stderr.GetAwaiter().GetResult() : throw new InvalidOperationException("okr serve is still running");

    /// <summary>SIGTERM (what a service manager sends), and the exit code once the process is gone.</summary>
    public int Terminate(TimeSpan deadline)
    {
        SendTerminate();
        return WaitForExit(deadline);
    }

    /// <summary>SIGTERM, without waiting: the server drains while the caller goes on.</summary>
    public void SendTerminate()
    {
        using var kill = Process.Start("kill", ["-TERM", $"{_process.Id}"]) ?? throw new InvalidOperationException("could not run kill");
        kill.WaitForExit();
    }

    /// <summary>The exit code once the process is gone (failing the test if it is not gone by <paramref name="deadline"/>).</summary>
    public int WaitForExit(TimeSpan deadline)
    {
        if (!_process.WaitForExit(deadline)) Assert.Fail($"okr serve did not exit within {deadline.TotalSeconds} s of SIGTERM");
        return _process.ExitCode;
    }

    /// <summary>Runs okr serve expecting it to refuse to start: its exit code and standard error.</summary>
    public static (int ExitCode, string Error) Refused(string store, string address = "127.0.0.1:0", params string[] extraArgs)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(TestContext.CurrentContext.TestDirectory, "okr.dll"), "serve", "--address", address, "--store", store }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start okr serve");
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(StartTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("okr serve started where it should have refused");
        }

        return (process.ExitCode, stderr.GetAwaiter().GetResult());
    }

    /// <summary>SIGKILL, and wait until the process is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _channel.Dispose();
        _process.Dispose();
    }

    public override string ToString() => _process.HasExited ? $"okr serve (exited): {_stderr.GetAwaiter().GetResult()}" : "okr serve";

    [GeneratedRegex(@"listening on (https?://[^,\s]+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"REST/JSON and gRPC-Web also on (http://[^,\s]+)")]
    private static partial Regex HttpListening();
}

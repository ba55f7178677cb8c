using System.Diagnostics;
using System.Text.Json;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// The README's REST quick start, run line by line with curl against a fresh <c>okr serve --seed
/// examples/small-company.yaml --http-address</c> (on a free port instead of 8080): every line answers 200 with JSON,
/// whatever today is, and the watch begins with the quick start's check-in.
/// </summary>
[NonParallelizable]
public sealed class RestQuickStartTests
{
    private const string DocumentedAddress = "http://127.0.0.1:8080";

    private readonly string _store = Path.Combine(Path.GetTempPath(), $"okr-quick-start-{Guid.NewGuid():N}.db");

    [TearDown]
    public void RemoveStore()
    {
        foreach (var file in new[] { _store, _store + "-wal", _store + "-shm" }) File.Delete(file);
    }

    /// <summary>The curl lines of the README's block that starts the server with --http-address.</summary>
    private static List<string> QuickStart()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith("scripts/okr serve --seed examples/small-company.yaml --http-address 127.0.0.1:8080", StringComparison.Ordinal));
        start.Should().BeGreaterThan(0, "the README has the REST quick start");
        return [.. lines.Skip(start + 1).TakeWhile(l => l != "```").Where(l => l.StartsWith("curl ", StringComparison.Ordinal))];
    }

    [Test]
    public async Task ReadmeCurlLines_FreshlySeededServer_EachAnswersJson()
    {
        Curl.Require();
        var commands = QuickStart();
        commands.Should().HaveCountGreaterThan(4);
        using var server = OkrServer.Start("sqlite:" + _store, "--seed", Path.Combine(RepoPaths.Root, "examples", "small-company.yaml"), "--http-address", "127.0.0.1:0");
        var address = server.HttpAddress!.ToString().TrimEnd('/');

        foreach (var command in commands)
        {
            var watch = command.Contains(":watchRollups", StringComparison.Ordinal);
            // --fail: an HTTP error fails curl; a watch never ends by itself, so it is stopped after its first line.
            var line = command.Replace(DocumentedAddress, address, StringComparison.Ordinal) + " --fail --show-error" + (watch ? " --max-time 5" : string.Empty);
            var (exitCode, output) = await BashAsync(line);

            if (watch)
            {
                output.Should().NotBeEmpty(command);
                using var first = JsonDocument.Parse(output.Split('\n')[0]);
                first.RootElement.GetProperty("version").GetInt64().Should().Be(2, "the watch from version 1 begins with the check-in");
                continue;
            }

            exitCode.Should().Be(0, $"{command}\n{output}");
            using var json = JsonDocument.Parse(output);
            json.RootElement.ValueKind.Should().Be(JsonValueKind.Object, command);
        }
    }

    private static async Task<(int ExitCode, string Output)> BashAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output) + (await error));
    }
}

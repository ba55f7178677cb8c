using AlignmentEngine.Api.V1;
using AlignmentEngine.Tests.Shared;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// One scenario (import a conformance tree, check in, read a roll-up, simulate, watch) run three ways against one real
/// <c>okr serve</c>, each on a tenant of its own: gRPC through @grpc/grpc-js, gRPC-Web through @connectrpc/connect-node
/// over HTTP/1.1, and REST/JSON through curl over HTTP/1.1 (<c>--http-address</c>). Every answer is the same message.
/// REST has no import (a client stream has no REST form), so the REST tenant is imported over gRPC.
/// </summary>
[NonParallelizable]
public sealed class ThreeWaysTests
{
    private static readonly string Vector = Path.Combine(RepoPaths.Conformance, "01-basic-rollup.yaml");

    private static readonly Dictionary<string, MessageDescriptor> Steps = new()
    {
        ["import"] = ImportTreeResponse.Descriptor,
        ["checkIn"] = RecordCheckInsResponse.Descriptor,
        ["rollup"] = GetRollupResponse.Descriptor,
        ["simulate"] = SimulateChangesResponse.Descriptor,
        ["watch"] = WatchRollupsResponse.Descriptor,
    };

    private readonly string _store = Path.Combine(Path.GetTempPath(), $"okr-three-ways-{Guid.NewGuid():N}.db");
    private readonly string _importFile = Path.Combine(Path.GetTempPath(), $"okr-three-ways-{Guid.NewGuid():N}.jsonl");
    private OkrServer? _server;

    [OneTimeSetUp]
    public void StartServer() => _server = OkrServer.Start("sqlite:" + _store, "--http-address", "127.0.0.1:0");

    [OneTimeTearDown]
    public void StopServer()
    {
        _server?.Dispose();
        foreach (var file in new[] { _store, _store + "-wal", _store + "-shm", _importFile }) File.Delete(file);
    }

    [Test]
    public async Task Scenario_GrpcGrpcWebAndRest_SameAnswers()
    {
        NodeScript.RequirePackages();
        Curl.Require();
        var import = ImportMessages(ServerFixture.ReadTree(Vector));
        await File.WriteAllLinesAsync(_importFile, import.Select(m => JsonFormatter.Default.Format(m)));

        var grpc = await NodeAsync("grpc", $"127.0.0.1:{_server!.Port}", "grpc");
        var web = await NodeAsync("grpc-web", _server.HttpAddress!.ToString().TrimEnd('/'), "web");
        var rest = await RestAsync(import, "rest");

        grpc.Keys.Should().BeEquivalentTo(Steps.Keys);
        foreach (var step in Steps.Keys)
        {
            web[step].Should().Be(grpc[step], $"gRPC-Web's {step} is gRPC's");
            rest[step].Should().Be(grpc[step], $"REST's {step} is gRPC's");
        }

        var checkIn = (RecordCheckInsResponse)grpc["checkIn"];
        checkIn.Version.Should().Be(((ImportTreeResponse)grpc["import"]).Version + 1);
        checkIn.Goals.Should().Contain(g => g.GoalId == "SALES.KR2");
        ((WatchRollupsResponse)grpc["watch"]).Version.Should().Be(checkIn.Version, "the watch from the import's version begins with the check-in");
        ((SimulateChangesResponse)grpc["simulate"]).Outcome.Goals.Should().Contain(g => g.GoalId == "C1.KR3");
    }

    /// <summary>The tree as an ImportTree stream: settings first, then the goals in chunks (the tenant is the client's).</summary>
    private static List<ImportTreeRequest> ImportMessages(Api.V1.GoalTree tree)
    {
        var messages = new List<ImportTreeRequest> { new() { Settings = tree.Settings } };
        foreach (var chunk in tree.Goals.Chunk(3))
        {
            var message = new ImportTreeRequest();
            message.Goals.AddRange(chunk);
            messages.Add(message);
        }

        return messages;
    }

    private async Task<Dictionary<string, IMessage>> NodeAsync(string way, string address, string tenant)
    {
        var (exitCode, output) = await NodeScript.RunAsync("three-ways.js", way, address, tenant, _importFile);
        exitCode.Should().Be(0, output);
        var answers = new Dictionary<string, IMessage>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            var step = json.RootElement.GetProperty("step").GetString()!;
            answers[step] = Parse(step, json.RootElement.GetProperty("message").GetRawText());
        }

        return answers;
    }

    private async Task<Dictionary<string, IMessage>> RestAsync(List<ImportTreeRequest> import, string tenant)
    {
        var parent = $"tenants/{tenant}";
        using (var call = _server!.Client.ImportTree())
        {
            foreach (var (message, index) in import.Select((m, i) => (m.Clone(), i)))
            {
                if (index == 0) message.Parent = parent;
                await call.RequestStream.WriteAsync(message);
            }

            await call.RequestStream.CompleteAsync();
            var imported = await call.ResponseAsync;
            var api = new Uri(_server.HttpAddress!, "v1/");
            return new Dictionary<string, IMessage>
            {
                ["import"] = imported,
                ["checkIn"] = Parse("checkIn", await PostAsync(new Uri(api, $"{parent}:recordCheckIns"), """{"checkIns":[{"goalId":"SALES.KR2","value":1}]}""")),
                ["rollup"] = Parse("rollup", await GetAsync(new Uri(api, $"{parent}/goals/C1:rollup"))),
                ["simulate"] = Parse("simulate", await PostAsync(new Uri(api, $"{parent}:simulateChanges"),
                    """{"changes":[{"setState":{"goalId":"C1.KR3","state":"GOAL_STATE_ARCHIVED"}}]}""")),
                ["watch"] = Parse("watch", await Curl.FirstLineAsync(new Uri(api, $"{parent}:watchRollups?sinceVersion={imported.Version}"))),
            };
        }
    }

    private static async Task<string> GetAsync(Uri url)
    {
        var (status, body) = await Curl.RunAsync(url);
        status.Should().Be(200, body);
        return body;
    }

    private static async Task<string> PostAsync(Uri url, string json)
    {
        var (status, body) = await Curl.RunAsync(url, json);
        status.Should().Be(200, body);
        return body;
    }

    private static IMessage Parse(string step, string json) => JsonParser.Default.Parse(json, Steps[step]);
}

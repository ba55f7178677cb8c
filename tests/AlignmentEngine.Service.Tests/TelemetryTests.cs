using System.Diagnostics;
using System.Text.Json;
using AlignmentEngine.Api.V1;
using AlignmentEngine.Core;
using Grpc.Net.Client;
using AlignmentEngine.Service.Telemetry;
using AlignmentEngine.Tests.Shared;
using Metric = OpenTelemetry.Proto.Metrics.V1.Metric;
using OpenTelemetry.Proto.Trace.V1;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// Spans and metrics of real calls reach an OTLP/HTTP receiver when an endpoint is configured, decoded there as a
/// collector would: names, parent links, attributes, status, metric points.
/// </summary>
public sealed class TelemetryTests
{
    private const string RpcService = "okr.alignment.v1.AlignmentService";

    [Test]
    public async Task Calls_ExportRpcSpansWithStoreAndRecomputeChildren_AndTheMetrics()
    {
        using var receiver = new OtlpReceiver();
        var caller = ActivityTraceId.CreateRandom();
        ApplyChangesResponse changed = null!;
        AnalyzeAlignmentResponse analysis = null!;
        await RunServerAsync(receiver.Endpoint, async client =>
        {
            // The caller's trace context (W3C traceparent) makes the RPC span part of the caller's trace.
            var traced = new Grpc.Core.CallOptions(new Grpc.Core.Metadata { { "traceparent", $"00-{caller}-{ActivitySpanId.CreateRandom()}-01" } });
            await client.ApplyChangesAsync(Changes(Upsert(Objective("C1", Api.V1.GoalLevel.Company)), Upsert(KeyResult("KR1", "C1"))), traced);
            Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.GetGoalAsync(new GetGoalRequest { Name = "tenants/otel/goals/NOPE" }).ResponseAsync);
            analysis = await client.AnalyzeAlignmentAsync(new AnalyzeAlignmentRequest { Parent = "tenants/otel" });
            changed = await client.ApplyChangesAsync(Changes(Upsert(Objective("T1", Api.V1.GoalLevel.Team))));
        });

        var spans = receiver.Spans();
        var apply = spans.Single(s => s.Name == $"{RpcService}/ApplyChanges" && s.TraceId.Hex() == caller.ToHexString());
        apply.Kind.Should().Be(Span.Types.SpanKind.Server);
        apply.Attributes().Should().Contain(new Dictionary<string, object>
        {
            ["rpc.system.name"] = "grpc", ["rpc.method"] = $"{RpcService}/ApplyChanges", ["rpc.response.status_code"] = "OK",
        });
        (apply.Status?.Code ?? Status.Types.StatusCode.Unset).Should().NotBe(Status.Types.StatusCode.Error);

        // The work is done in the tenant's grain: its spans descend from the RPC's through Orleans' grain call spans.
        var children = Descendants(spans, apply);
        children.Should().OnlyContain(s => s.TraceId == apply.TraceId);
        var recompute = children.Single(s => s.Name == "okr.recompute apply");
        var grainCall = children.Single(s => s.SpanId == recompute.ParentSpanId);
        grainCall.Name.Should().EndWith("ITenantGrain/Write", "the grain call sits between the RPC's span and the recomputation");
        recompute.Attributes().Should().Contain(new Dictionary<string, object>
        {
            ["okr.tenant"] = "otel", ["okr.recompute.kind"] = "apply", ["okr.changes"] = 2L, ["okr.goals"] = 2L, ["okr.goals.touched"] = 2L,
        });
        var append = children.Single(s => s.Name == "Append sqlite");
        append.Kind.Should().Be(Span.Types.SpanKind.Client);
        append.Attributes().Should().Contain(new Dictionary<string, object>
        {
            ["db.system"] = "sqlite", ["db.operation.name"] = "Append", ["okr.tenant"] = "otel", ["db.response.rows"] = 3L,
        });
        append.StartTimeUnixNano.Should().BeGreaterThanOrEqualTo(recompute.EndTimeUnixNano, "the recomputation ends where the commit begins");

        var notFound = spans.Single(s => s.Name == $"{RpcService}/GetGoal");
        notFound.Attributes()["rpc.response.status_code"].Should().Be("NOT_FOUND");
        (notFound.Status?.Code ?? Status.Types.StatusCode.Unset).Should().NotBe(Status.Types.StatusCode.Error, "NOT_FOUND is the caller's, not a server error, by the RPC conventions");

        var metrics = LastExport(receiver.Metrics());
        metrics["rpc.server.duration"].Histogram.DataPoints
            .Should().Contain(p => (string)p.Attributes()["rpc.method"] == "GetGoal" && (long)p.Attributes()["rpc.grpc.status_code"] == (long)Grpc.Core.StatusCode.NotFound && p.Count == 1);
        metrics.Keys.Should().Contain("orleans-catalog-activations", "Orleans' meters go into the same pipeline");
        metrics["okr.recompute.duration"].Histogram.DataPoints
            .Should().Contain(p => (string)p.Attributes()["okr.tenant"] == "otel" && (string)p.Attributes()["okr.recompute.kind"] == "apply" && p.Count == 2);
        Gauge(metrics, "okr.graph.goals", "otel").Should().Be(3);
        Gauge(metrics, "okr.graph.alignments", "otel").Should().Be(1);
        metrics["okr.silo.resident_goals"].Gauge.DataPoints.Should().ContainSingle().Which.AsInt.Should().Be(3, "the silo holds that tenant alone");
        metrics.Keys.Should().Contain(["okr.silo.evictions", "okr.silo.loads.waiting"]);

        // The findings gauge is the analysis, moved by the change committed after it.
        changed.Outcome.FindingsAppeared.Should().NotBeEmpty("the test needs a change that moves the findings");
        var expected = CountByCode(analysis.Findings);
        foreach (var (code, count) in CountByCode(changed.Outcome.FindingsAppeared)) expected[code] = expected.GetValueOrDefault(code) + count;
        foreach (var (code, count) in CountByCode(changed.Outcome.FindingsDisappeared)) expected[code] -= count;
        var findings = metrics["okr.findings"].Gauge.DataPoints.Where(p => (string)p.Attributes()["okr.tenant"] == "otel")
            .ToDictionary(p => (string)p.Attributes()["okr.finding.code"], p => p.AsInt);
        findings.Keys.Should().BeEquivalentTo(Enum.GetValues<Core.FindingCode>().Select(c => c.Name()), "every code is reported, zeros included");
        findings.Where(f => f.Value != 0).Should().BeEquivalentTo(expected.Where(e => e.Value != 0));
    }

    [Test]
    public async Task ImportTree_ExportsTheBuildUnderTheRpcSpan_AndSetsTheFindingsGauge()
    {
        using var receiver = new OtlpReceiver();
        ImportTreeResponse imported = null!;
        await RunServerAsync(receiver.Endpoint, async client =>
        {
            using var call = client.ImportTree();
            var first = new ImportTreeRequest { Parent = "tenants/imported" };
            first.Goals.Add(Objective("C1", Api.V1.GoalLevel.Company));
            first.Goals.Add(Objective("T1", Api.V1.GoalLevel.Team));
            await call.RequestStream.WriteAsync(first);
            await call.RequestStream.CompleteAsync();
            imported = await call.ResponseAsync;
        });

        var spans = receiver.Spans();
        var import = spans.Single(s => s.Name == $"{RpcService}/ImportTree");
        var underImport = Descendants(spans, import);
        var build = underImport.Single(s => s.Name == "okr.recompute build");
        build.Attributes().Should().Contain(new Dictionary<string, object> { ["okr.tenant"] = "imported", ["okr.goals"] = 2L });
        var replace = underImport.Single(s => s.Name == "Replace sqlite");
        replace.Attributes()["db.response.rows"].Should().Be(2L);

        imported.Findings.Should().NotBeEmpty();
        var findings = LastExport(receiver.Metrics())["okr.findings"].Gauge.DataPoints
            .Where(p => (string)p.Attributes()["okr.tenant"] == "imported" && p.AsInt > 0)
            .ToDictionary(p => (string)p.Attributes()["okr.finding.code"], p => p.AsInt);
        findings.Should().BeEquivalentTo(CountByCode(imported.Findings));
    }

    [Test]
    public async Task Write_AfterAnotherDeploymentCommitted_ExportsCatchUpUnderTheWriteWithReadAndReplayChildren()
    {
        using var receiver = new OtlpReceiver();
        var folder = Path.Combine(Path.GetTempPath(), "okr-service-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var store = $"sqlite:{Path.Combine(folder, "alignment.db")}";
        try
        {
            // Two deployments on one store (no cluster): each its own activation of the tenant.
            var other = AlignmentServer.Create(new GrpcServerHostOptions(), options => options.Store = store);
            var traced = AlignmentServer.Create(new GrpcServerHostOptions(), options =>
            {
                options.Store = store;
                options.OtlpEndpoint = receiver.Endpoint;
            });
            await using (other)
            await using (traced)
            {
                await other.StartAsync();
                await traced.StartAsync();
                using var otherChannel = GrpcChannel.ForAddress(other.Addresses[0]);
                using var tracedChannel = GrpcChannel.ForAddress(traced.Addresses[0]);

                // A read activates the tenant on the traced deployment (NOT_FOUND: nothing is stored yet); the other
                // then commits twice, and the traced one's write finds those commits and takes them in first.
                var client = new AlignmentClient(tracedChannel);
                Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.ListGoalsAsync(new ListGoalsRequest { Parent = "tenants/otel" }).ResponseAsync);
                await new AlignmentClient(otherChannel).ApplyChangesAsync(Changes(Upsert(Objective("C1", Api.V1.GoalLevel.Company))));
                await new AlignmentClient(otherChannel).ApplyChangesAsync(Changes(Upsert(Objective("C2", Api.V1.GoalLevel.Company))));
                (await client.ApplyChangesAsync(Changes(Upsert(Objective("C3", Api.V1.GoalLevel.Company))))).Version.Should().Be(3);

                await traced.StopAsync();
                await other.StopAsync();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var spans = receiver.Spans();
        var catchUp = spans.Single(s => s.Name == "okr.catch_up");
        spans.Should().Contain(s => s.Name == $"{RpcService}/ApplyChanges" && s.TraceId == catchUp.TraceId, "the catch-up is part of the write that needed it");
        ((string)catchUp.Attributes()["okr.tenant"]).Should().Be("otel");
        var replays = spans.Where(s => s.Name == "okr.recompute replay").ToList();
        replays.Sum(s => (long)s.Attributes()["okr.changes"]).Should().Be(2, "each commit of the other deployment is replayed once");
        replays.Should().OnlyContain(r => r.ParentSpanId.Equals(catchUp.SpanId));
        spans.Where(s => s.Name == "ReadLog sqlite").Should().OnlyContain(r => r.ParentSpanId.Equals(catchUp.SpanId)).And.NotBeEmpty();
        spans.Should().NotContain(s => s.Name == "ListTenants sqlite", "nothing polls the store");
    }

    [Test]
    public async Task OrleansMeters_ReachTheExporter_BesideTheServices()
    {
        using var receiver = new OtlpReceiver();
        await RunServerAsync(receiver.Endpoint, async client =>
            await client.ApplyChangesAsync(Changes(Upsert(Objective("C1", Api.V1.GoalLevel.Company)))));

        // The call activated the tenant's grain: Orleans' catalog counted it, on the meter "Microsoft.Orleans".
        var metrics = LastExport(receiver.Metrics());
        metrics["orleans-catalog-activation-created"].Sum.DataPoints.Sum(p => p.AsInt).Should().BeGreaterThanOrEqualTo(1);
        metrics.Keys.Should().Contain("rpc.server.duration");
    }

    [Test]
    public async Task EndpointWithAPath_SignalPathsAreAppendedToIt()
    {
        using var receiver = new OtlpReceiver();
        await RunServerAsync(new Uri(receiver.Endpoint, "otlp"), async client =>
            await client.ApplyChangesAsync(Changes(Upsert(Objective("C1", Api.V1.GoalLevel.Company)))));

        receiver.Spans("/otlp/v1/traces").Should().Contain(s => s.Name == $"{RpcService}/ApplyChanges");
        receiver.Metrics("/otlp/v1/metrics").Should().Contain(m => m.Name == "rpc.server.duration");
        receiver.Received("/v1/traces").Should().BeEmpty();
    }

    [Test]
    public async Task Serve_JsonLogs_OneObjectPerLineWithTheCallsTraceAndSpanIds()
    {
        using var receiver = new OtlpReceiver();
        var folder = Path.Combine(Path.GetTempPath(), "okr-service-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string log;
        try
        {
            using var server = OkrServer.Start($"sqlite:{Path.Combine(folder, "alignment.db")}",
                "--log-format", "json", "--log-level", "information", "--otlp-endpoint", receiver.Endpoint.ToString());
            var traced = new Grpc.Core.CallOptions(new Grpc.Core.Metadata { { "traceparent", $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01" } });
            await server.Client.ApplyChangesAsync(Changes(Upsert(Objective("C1", Api.V1.GoalLevel.Company))), traced);
            server.Terminate(TimeSpan.FromSeconds(30)).Should().Be(0);
            log = server.ErrorOutput;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().NotBeEmpty();
        var records = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList(); // throws on a line that is not one JSON object
        foreach (var record in records)
        {
            record.EnumerateObject().Select(p => p.Name).Should().Contain(["Timestamp", "LogLevel", "Category", "Message"]);
        }

        var call = records.Single(r => r.GetProperty("Category").GetString() == typeof(AlignmentService).FullName);
        call.GetProperty("LogLevel").GetString().Should().Be("Information");
        call.GetProperty("Message").GetString().Should().StartWith("ApplyChanges answered OK in ");
        call.GetProperty("State").GetProperty("Method").GetString().Should().Be("ApplyChanges");
        var ids = call.GetProperty("Scopes").EnumerateArray().Single(s => s.TryGetProperty("TraceId", out _));

        var span = receiver.Spans().Single(s => s.Name == $"{RpcService}/ApplyChanges");
        ids.GetProperty("TraceId").GetString().Should().Be(span.TraceId.Hex());
        ids.GetProperty("SpanId").GetString().Should().Be(span.SpanId.Hex());
    }

    [TestCase("http://collector:4318", "v1/traces", "http://collector:4318/v1/traces")]
    [TestCase("http://collector:4318/", "v1/traces", "http://collector:4318/v1/traces")]
    [TestCase("http://collector:4318/otlp", "v1/metrics", "http://collector:4318/otlp/v1/metrics")]
    [TestCase("https://collector/a/b/", "v1/traces", "https://collector/a/b/v1/traces")]
    public void SignalEndpoint_AppendsTheSignalPathToTheBase(string baseEndpoint, string signal, string expected) =>
        TelemetryExport.SignalEndpoint(new Uri(baseEndpoint), signal).Should().Be(new Uri(expected));

    [Test]
    public async Task NoEndpoint_NothingIsExported()
    {
        using var receiver = new OtlpReceiver();
        await RunServerAsync(null, client =>
        {
            Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.GetGoalAsync(new GetGoalRequest { Name = "tenants/otel/goals/NOPE" }).ResponseAsync);
            return Task.CompletedTask;
        });

        receiver.Received("/v1/traces").Should().BeEmpty();
        receiver.Received("/v1/metrics").Should().BeEmpty();
    }

    /// <summary>A server on a store of its own exporting to <paramref name="endpoint"/>, stopped (and so flushed) after <paramref name="calls"/>.</summary>
    private static async Task RunServerAsync(Uri? endpoint, Func<AlignmentClient, Task> calls)
    {
        var folder = Path.Combine(Path.GetTempPath(), "okr-service-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var host = AlignmentServer.Create(new GrpcServerHostOptions(), options =>
            {
                options.Store = $"sqlite:{Path.Combine(folder, "alignment.db")}";
                options.OtlpEndpoint = endpoint;
            });
            await using (host)
            {
                await host.StartAsync();
                using (var channel = GrpcChannel.ForAddress(host.Addresses[0])) await calls(new AlignmentClient(channel));
                await host.StopAsync();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Each metric as the last export carried it (the one at shutdown, after every call).</summary>
    /// <summary>The spans under <paramref name="root"/>, at any depth.</summary>
    private static List<Span> Descendants(IReadOnlyCollection<Span> spans, Span root)
    {
        var found = new List<Span>();
        var parents = new HashSet<Google.Protobuf.ByteString> { root.SpanId };
        for (var grew = true; grew;)
        {
            var next = spans.Where(s => parents.Contains(s.ParentSpanId) && !found.Contains(s)).ToList();
            found.AddRange(next);
            grew = next.Count > 0;
            foreach (var span in next) parents.Add(span.SpanId);
        }

        return found;
    }

    private static Dictionary<string, Metric> LastExport(IEnumerable<Metric> metrics)
    {
        var last = new Dictionary<string, Metric>(StringComparer.Ordinal);
        foreach (var metric in metrics) last[metric.Name] = metric;
        return last;
    }

    private static long Gauge(Dictionary<string, Metric> metrics, string name, string tenant) =>
        metrics[name].Gauge.DataPoints.Single(p => (string)p.Attributes()["okr.tenant"] == tenant).AsInt;

    private static Dictionary<string, long> CountByCode(IEnumerable<Api.V1.Finding> findings) =>
        findings.GroupBy(f => ((Core.FindingCode)((int)f.Code - 1)).Name()).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);

    private static ApplyChangesRequest Changes(params Api.V1.GoalChange[] changes)
    {
        var request = new ApplyChangesRequest { Parent = "tenants/otel", AsOf = new Google.Type.Date { Year = 2026, Month = 11, Day = 15 } };
        request.Changes.AddRange(changes);
        return request;
    }

    private static Api.V1.GoalChange Upsert(Api.V1.Goal goal) => new() { UpsertGoal = goal };

    private static Api.V1.Goal Objective(string id, Api.V1.GoalLevel level) => new() { GoalId = id, Type = Api.V1.GoalType.Objective, Level = level };

    private static Api.V1.Goal KeyResult(string id, string parent)
    {
        var goal = new Api.V1.Goal
        {
            GoalId = id,
            Type = Api.V1.GoalType.KeyResult,
            Metric = new Api.V1.Metric { Direction = Api.V1.MetricDirection.Increase, Start = 0, Target = 10, Current = 5 },
        };
        goal.Parents.Add(new Api.V1.ParentLink { ParentGoalId = parent });
        return goal;
    }
}

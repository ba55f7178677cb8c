using System.Text;
using AlignmentEngine.Api;
using AlignmentEngine.Api.V1;
using AlignmentEngine.Rpc;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// Spans and metrics of real calls reach an OTLP/HTTP receiver when an endpoint is configured. The OTLP bodies are
/// protobuf, in which names and string attributes appear as UTF-8 bytes: the test looks for them there.
/// </summary>
public sealed class TelemetryTests
{
    [Test]
    public async Task Calls_ExportSpansWithRpcAttributes_AndTheDurationMetric()
    {
        using var receiver = new OtlpReceiver();
        var folder = Path.Combine(Path.GetTempPath(), "okr-service-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var host = AlignmentServer.Create(new GrpcServerHostOptions(), options =>
            {
                options.Store = $"sqlite:{Path.Combine(folder, "alignment.db")}";
                options.OtlpEndpoint = receiver.Endpoint;
            });
            await using (host)
            {
                await host.StartAsync();
                using (var channel = GrpcChannel.ForAddress(host.Addresses[0]))
                {
                    var client = new AlignmentClient(channel);
                    var request = new ApplyChangesRequest { Parent = "tenants/otel" };
                    request.Changes.Add(new Api.V1.GoalChange { UpsertGoal = new Api.V1.Goal { GoalId = "C1", Type = Api.V1.GoalType.Objective } });
                    await client.ApplyChangesAsync(request);
                    Assert.ThrowsAsync<RpcException>(() => client.GetGoalAsync(new GetGoalRequest { Name = "tenants/otel/goals/NOPE" }));
                }

                await host.StopAsync(); // flushes what is pending
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var traces = Text(receiver.Received("/v1/traces"));
        traces.Should().Contain("okr.alignment.v1.AlignmentService/ApplyChanges").And.Contain("okr.alignment.v1.AlignmentService/GetGoal");
        traces.Should().Contain("rpc.system").And.Contain("grpc").And.Contain("rpc.service").And.Contain("rpc.method").And.Contain("rpc.grpc.status_code");
        var metrics = Text(receiver.Received("/v1/metrics"));
        metrics.Should().Contain("rpc.server.duration").And.Contain("GetGoal");
    }

    [Test]
    public async Task NoEndpoint_NothingIsExported()
    {
        using var receiver = new OtlpReceiver();
        var folder = Path.Combine(Path.GetTempPath(), "okr-service-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var host = AlignmentServer.Create(new GrpcServerHostOptions(), options => options.Store = $"sqlite:{Path.Combine(folder, "alignment.db")}");
            await using (host)
            {
                await host.StartAsync();
                using (var channel = GrpcChannel.ForAddress(host.Addresses[0]))
                {
                    Assert.ThrowsAsync<RpcException>(() => new AlignmentClient(channel).GetGoalAsync(new GetGoalRequest { Name = "tenants/otel/goals/NOPE" }));
                }

                await host.StopAsync();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        receiver.Received("/v1/traces").Should().BeEmpty();
        receiver.Received("/v1/metrics").Should().BeEmpty();
    }

    private static string Text(IReadOnlyList<byte[]> bodies) => string.Concat(bodies.Select(b => Encoding.UTF8.GetString(b)));
}

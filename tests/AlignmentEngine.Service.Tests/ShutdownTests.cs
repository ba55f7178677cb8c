using System.Diagnostics;
using AlignmentEngine.Api;
using AlignmentEngine.Api.V1;
using AlignmentEngine.Rpc;
using AlignmentEngine.Storage;
using AlignmentEngine.Tests.Shared;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// Stopping the server: health turns NOT_SERVING, new connections and calls are refused, calls in flight finish
/// (and what they acknowledged is kept), open watches end with UNAVAILABLE (retryable) at once.
/// </summary>
public sealed class ShutdownTests
{
    private static readonly GrpcMethod<HealthCheckRequest, HealthCheckResponse> HealthCheck = new(HealthReflection.Descriptor.Services[0].FindMethodByName("Check"));
    private static readonly GrpcMethod<HealthCheckRequest, HealthCheckResponse> HealthWatch = new(HealthReflection.Descriptor.Services[0].FindMethodByName("Watch"));

    private string _folder = null!;

    private string Store => $"sqlite:{Path.Combine(_folder, "alignment.db")}";

    [SetUp]
    public void MakeFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "okr-service-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task Stop_EndsOpenWatchesWithUnavailable_Promptly()
    {
        var host = AlignmentServer.Create(new GrpcServerHostOptions(), options => options.Store = Store);
        await using (host)
        {
            await host.StartAsync();
            using var channel = GrpcChannel.ForAddress(host.Addresses[0]);
            var client = new AlignmentClient(channel);
            using var watch = client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/stopping" });
            await watch.ResponseHeadersAsync;
            var next = watch.ResponseStream.MoveNext(CancellationToken.None);

            var clock = Stopwatch.StartNew();
            await host.StopAsync();

            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a watch must not hold the shutdown up to its timeout");
            var error = Assert.ThrowsAsync<RpcException>(() => next)!;
            error.StatusCode.Should().Be(StatusCode.Unavailable);
            error.Status.Message.Should().Contain("shutting down");
        }
    }

    [Test]
    public async Task Stop_WhileACallIsInFlight_RefusesNewOnes_FinishesIt_AndKeepsWhatItAcknowledged()
    {
        var host = AlignmentServer.Create(new GrpcServerHostOptions(), options => options.Store = Store);
        await using (host)
        {
            await host.StartAsync();
            using var channel = GrpcChannel.ForAddress(host.Addresses[0]);
            var client = new AlignmentClient(channel);
            using var health = channel.ServerStreaming(HealthWatch, new HealthCheckRequest());
            (await health.ResponseStream.MoveNext(CancellationToken.None)).Should().BeTrue();
            health.ResponseStream.Current.Status.Should().Be(ServingStatus.Serving);

            // An import under way: its first half sent, the rest still to come when the stop begins.
            using var import = client.ImportTree();
            var goals = ImportGoals(200);
            await import.RequestStream.WriteAsync(ImportMessage(goals[..100], "tenants/inflight"));

            // Frames on one connection are handled in order: once this answers, the server has the import's stream.
            await channel.UnaryAsync(HealthCheck, new HealthCheckRequest());
            var stop = host.StopAsync();

            (await health.ResponseStream.MoveNext(CancellationToken.None)).Should().BeTrue();
            health.ResponseStream.Current.Status.Should().Be(ServingStatus.NotServing, "health says so while draining");
            await RefusedAsync(async () =>
            {
                using var fresh = GrpcChannel.ForAddress(host.Addresses[0]);
                await fresh.UnaryAsync(HealthCheck, new HealthCheckRequest());
            }, "a new connection");
            await RefusedAsync(() => client.GetGoalAsync(new GetGoalRequest { Name = "tenants/inflight/goals/C" }), "a new call on the open connection");
            stop.IsCompleted.Should().BeFalse("the import is still in flight");

            await import.RequestStream.WriteAsync(ImportMessage(goals[100..], parent: null));
            await import.RequestStream.CompleteAsync();
            var imported = await import.ResponseAsync;
            await stop;

            imported.Version.Should().BeGreaterThan(0);
            using var store = AlignmentStores.Open(Store);
            store.ListTenants().Should().ContainSingle(t => t.Tenant == "inflight" && t.Version == imported.Version);
            store.LoadTenant("inflight")!.Tree.Goals.Should().HaveCount(goals.Count);
        }
    }

    [Test]
    public async Task Sigterm_WhileACallIsInFlight_OkrServeFinishesIt_RefusesNewCalls_AndExitsCleanly()
    {
        var goals = ImportGoals(200);
        long version;
        using (var server = OkrServer.Start(Store))
        {
            using var import = server.Client.ImportTree();
            await import.RequestStream.WriteAsync(ImportMessage(goals[..100], "tenants/inflight"));
            await server.Client.ValidateTreeAsync(new ValidateTreeRequest { Tree = new Api.V1.GoalTree() });

            server.SendTerminate();

            await RefusedAsync(() => server.Client.ValidateTreeAsync(new ValidateTreeRequest { Tree = new Api.V1.GoalTree() }), "a new call");
            await import.RequestStream.WriteAsync(ImportMessage(goals[100..], parent: null));
            await import.RequestStream.CompleteAsync();
            version = (await import.ResponseAsync).Version;
            server.WaitForExit(TimeSpan.FromSeconds(60)).Should().Be(0);
        }

        // What the import acknowledged is there for the next process.
        using var again = OkrServer.Start(Store);
        var listed = await again.Client.ListGoalsAsync(new ListGoalsRequest { Parent = "tenants/inflight", PageSize = 1000 });
        listed.TotalSize.Should().Be(goals.Count);
        listed.Version.Should().Be(version);
    }

    /// <summary>Waits (a bounded while: the listener closes just after health turns) until the call is UNAVAILABLE.</summary>
    private static async Task RefusedAsync(Func<Task> call, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await call();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return;
            }

            if (DateTime.UtcNow > until) Assert.Fail($"{what} was still served 20 s after the stop began");
            await Task.Delay(50);
        }
    }

    /// <summary>A company objective and key results under it.</summary>
    internal static List<Api.V1.Goal> ImportGoals(int count)
    {
        var goals = new List<Api.V1.Goal> { new() { GoalId = "C", Type = Api.V1.GoalType.Objective, Level = GoalLevel.Company } };
        for (var k = 1; k < count; k++)
        {
            var goal = new Api.V1.Goal { GoalId = $"KR{k}", Type = Api.V1.GoalType.KeyResult, Metric = new Metric { Direction = MetricDirection.Increase, Start = 0, Target = 10, Current = k % 10 } };
            goal.Parents.Add(new ParentLink { ParentGoalId = "C" });
            goals.Add(goal);
        }

        return goals;
    }

    internal static ImportTreeRequest ImportMessage(IEnumerable<Api.V1.Goal> goals, string? parent)
    {
        var message = new ImportTreeRequest { Parent = parent ?? string.Empty };
        message.Goals.AddRange(goals);
        return message;
    }
}

using System.Diagnostics;
using AlignmentEngine.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;
using AlignmentEngine.Storage;
using static AlignmentEngine.Tests.Shared.ShutdownCalls;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// Stopping the server: health turns NOT_SERVING, new connections and calls are refused, calls in flight finish
/// (and what they acknowledged is kept), open watches end with UNAVAILABLE (retryable) at once.
/// </summary>
public sealed class ShutdownTests
{
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
            error.Status.Detail.Should().Contain("shutting down");
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
            using var health = new Grpc.Health.V1.Health.HealthClient(channel).Watch(new HealthCheckRequest());
            (await health.ResponseStream.MoveNext(CancellationToken.None)).Should().BeTrue();
            health.ResponseStream.Current.Status.Should().Be(ServingStatus.Serving);

            // An import under way: its first half sent, the rest still to come when the stop begins.
            using var import = client.ImportTree();
            var goals = ImportGoals(200);
            await import.RequestStream.WriteAsync(ImportMessage(goals[..100], "tenants/inflight"));

            // Frames on one connection are handled in order: once this answers, the server has the import's stream.
            await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
            var stop = host.StopAsync();

            (await health.ResponseStream.MoveNext(CancellationToken.None)).Should().BeTrue();
            health.ResponseStream.Current.Status.Should().Be(ServingStatus.NotServing, "health says so while draining");
            await RefusedAsync(async () =>
            {
                using var fresh = GrpcChannel.ForAddress(host.Addresses[0]);
                await new Grpc.Health.V1.Health.HealthClient(fresh).CheckAsync(new HealthCheckRequest());
            }, "a new connection");
            await RefusedAsync(() => client.GetGoalAsync(new GetGoalRequest { Name = "tenants/inflight/goals/C" }).ResponseAsync, "a new call on the open connection");
            stop.IsCompleted.Should().BeFalse("the import is still in flight");

            await import.RequestStream.WriteAsync(ImportMessage(goals[100..], parent: null));
            await import.RequestStream.CompleteAsync();
            var imported = await import.ResponseAsync;
            await stop;

            imported.Version.Should().BeGreaterThan(0);
            using var store = AlignmentStores.Open(Store);
            (await store.ListTenantsAsync()).Should().ContainSingle(t => t.Tenant == "inflight" && t.Version == imported.Version);
            (await store.LoadTenantAsync("inflight"))!.Tree.Goals.Should().HaveCount(goals.Count);
        }
    }
}

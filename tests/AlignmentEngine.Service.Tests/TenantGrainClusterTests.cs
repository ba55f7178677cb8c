using AlignmentEngine.Api.V1;
using AlignmentEngine.Grains;
using AlignmentEngine.Service.Pipeline;
using AlignmentEngine.Service.Tenants;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// The tenant grain on an in-process cluster of three silos (Orleans' TestingHost) sharing one SQLite store: one
/// activation answers through every silo, an idle tenant is deactivated and reloads from the store (unless it has
/// webhook subscriptions, whose deliverers live with its activation), a watcher sees
/// every version once and in order across that reload, and the tenants of a killed silo answer again from a survivor
/// with every acknowledged write.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TenantGrainClusterTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private TestCluster _cluster = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _folder = Path.Combine(Path.GetTempPath(), "okr-grain-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var builder = new TestClusterBuilder(3);
        builder.Properties[TenantSilo.StoreKey] = $"sqlite:{Path.Combine(_folder, "alignment.db")}";
        builder.AddSiloBuilderConfigurator<TenantSilo>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task OneActivation_AnswersThroughEverySilo()
    {
        var written = await Write(Silo(1), "spread", "C1");

        foreach (var silo in Silos())
        {
            var read = await Read(silo, "spread", "C1");
            read.Version.Should().Be(written.Version);
        }

        Holders("spread").Should().ContainSingle("one activation serves the calls of every silo");
    }

    [Test]
    public async Task IdleTenant_IsDeactivated_AndReloadsFromTheStore()
    {
        await Write(Silo(0), "idle", "C1");
        var written = await Write(Silo(2), "idle", "C2");
        Holders("idle").Should().ContainSingle();

        await Deactivate("idle");

        var read = await Read(Silo(0), "idle", "C2");
        read.Version.Should().Be(written.Version, "the reload has every committed change");
        Holders("idle").Should().ContainSingle();
    }

    [Test]
    public async Task TenantWithSubscriptions_StaysActivatedWhileIdle_UntilTheyAreDeleted()
    {
        var grains = Services(Silo(0)).GetRequiredService<TenantGrains>();
        await Write(Silo(0), "subscribed", "C1");
        var created = PreEncodedResponses.Decoded(await grains.Write("subscribed", TenantMethods.CreateWebhook,
            new CreateWebhookRequest { Parent = "tenants/subscribed", Webhook = new Webhook { Url = "http://127.0.0.1:9/okr-events" } }, CreateWebhookResponse.Parser));

        await _cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Holders("subscribed").Should().ContainSingle("a tenant with subscriptions keeps its deliverers running");

        await grains.Write("subscribed", TenantMethods.DeleteWebhook, new DeleteWebhookRequest { Name = created.Webhook.Name }, DeleteWebhookResponse.Parser);
        await Deactivate("subscribed");
    }

    [Test]
    public async Task Watch_AcrossADeactivationAndReload_SeesEveryVersionOnceInOrder()
    {
        var seen = new List<long>();
        var cursor = (await Write(Silo(0), "watched", "C1")).Version;
        await Write(Silo(1), "watched", "C2");
        await Write(Silo(2), "watched", "C3");
        cursor = await Poll(Silo(1), "watched", cursor, seen);

        // Committed while the watcher is between two polls; then the tenant is deactivated and its memory of the changes
        // goes with it. The next write activates it again, fresh, with only what comes after in memory.
        await Write(Silo(0), "watched", "C4");
        await Deactivate("watched");
        await Write(Silo(2), "watched", "C5");
        cursor = await Poll(Silo(2), "watched", cursor, seen);

        // A poll that waits is answered by the next commit.
        var waiting = Services(Silo(0)).GetRequiredService<TenantGrains>().Watch("watched", new WatchRequest(cursor, null, Bound));
        var last = await Write(Silo(1), "watched", "C6");
        foreach (var change in (await waiting).Events) seen.Add(WatchRollupsResponse.Parser.ParseFrom(change).Version);

        seen.Should().Equal([2, 3, 4, 5, 6], "every version after the first, once, in order");
        last.Version.Should().Be(6);
    }

    [Test]
    public async Task KilledSilo_ItsTenantAnswersFromASurvivor_WithEveryAcknowledgedWrite()
    {
        // The primary silo keeps the test cluster's membership table: kill another one, so find a tenant placed there
        // (placement prefers the calling silo, so the first write goes through another one).
        var primary = _cluster.Primary!;
        var other = Silos().First(s => s != primary);
        string? tenant = null;
        for (var k = 0; k < 50 && tenant is null; k++)
        {
            await Write(other, $"killed-{k}", "C1");
            if (Holders($"killed-{k}").Single() != primary) tenant = $"killed-{k}";
        }

        if (tenant is null)
        {
            Assert.Fail("placement put none of 50 tenants on a silo other than the primary");
            return;
        }

        var written = await Write(primary, tenant, "C2");
        var host = Holders(tenant).Single();

        await _cluster.KillSiloAsync(host);

        GetGoalResponse? read = null;
        var failures = new List<Exception>();
        await Until(async () =>
        {
            try
            {
                read = await Read(primary, tenant, "C2");
                return true;
            }
            catch (Exception e) when (e is not AssertionException)
            {
                failures.Add(e);
                return false;
            }
        }, "the killed silo's tenant to answer from a survivor");
        read!.Version.Should().Be(written.Version, "no acknowledged write is lost");
        failures.Should().NotContain(e => e is SiloUnavailableException, "a call that finds the tenant's silo dead is UNAVAILABLE, which clients retry");
        failures.OfType<RpcException>().Where(e => e.StatusCode != StatusCode.Unavailable).Should().BeEmpty();
        Holders(tenant).Should().ContainSingle().Which.Should().NotBe(host);
    }

    /// <summary>The silos alive (a test may have killed one).</summary>
    private List<SiloHandle> Silos() => [.. _cluster.Silos];

    /// <summary>The <paramref name="k"/>th silo alive, counted round: the same test runs before and after one is killed.</summary>
    private SiloHandle Silo(int k) => Silos()[k % Silos().Count];

    private static IServiceProvider Services(SiloHandle silo) => ((InProcessSiloHandle)silo).SiloHost.Services;

    /// <summary>The silos that hold <paramref name="tenant"/> activated.</summary>
    private List<SiloHandle> Holders(string tenant) =>
        [.. _cluster.Silos.Where(s => Services(s).GetRequiredService<TenantDirectory>().Loaded.Any(t => t.Id == tenant))];

    /// <summary>Deactivates the idle tenant wherever it is (as idle collection does), and waits until no silo holds it.</summary>
    private async Task Deactivate(string tenant)
    {
        await _cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await Until(() => Holders(tenant).Count == 0, $"tenant '{tenant}' to be deactivated");
    }

    /// <summary>One poll of a watcher, as the front makes it: the versions it got go to <paramref name="seen"/>; the new cursor is returned.</summary>
    private static async Task<long> Poll(SiloHandle silo, string tenant, long cursor, List<long> seen)
    {
        var batch = await Services(silo).GetRequiredService<TenantGrains>().Watch(tenant, new WatchRequest(cursor, null, TimeSpan.Zero));
        foreach (var change in batch.Events)
        {
            cursor = WatchRollupsResponse.Parser.ParseFrom(change).Version;
            seen.Add(cursor);
        }

        return cursor;
    }

    // TenantGrains answers as the front sends (the grain's bytes, fields unset): decoded here to be read.
    private static async Task<ApplyChangesResponse> Write(SiloHandle silo, string tenant, string goal)
    {
        var request = new ApplyChangesRequest { Parent = $"tenants/{tenant}" };
        request.Changes.Add(new Api.V1.GoalChange { UpsertGoal = new Api.V1.Goal { GoalId = goal, Type = GoalType.Objective, Level = GoalLevel.Company } });
        return PreEncodedResponses.Decoded(await Services(silo).GetRequiredService<TenantGrains>().Write(tenant, TenantMethods.ApplyChanges, request, ApplyChangesResponse.Parser));
    }

    private static async Task<GetGoalResponse> Read(SiloHandle silo, string tenant, string goal) =>
        PreEncodedResponses.Decoded(await Services(silo).GetRequiredService<TenantGrains>().Read(tenant, TenantMethods.GetGoal, new GetGoalRequest { Name = $"tenants/{tenant}/goals/{goal}" }, GetGoalResponse.Parser));

    private static Task Until(Func<bool> done, string what) => Until(() => Task.FromResult(done()), what);

    private static async Task Until(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"waited {Bound.TotalSeconds} s for {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>A silo of this service without the gRPC front: the tenant grains on the store the cluster shares.</summary>
    public sealed class TenantSilo : ISiloConfigurator
    {
        public const string StoreKey = "AlignmentStore";

        public void Configure(ISiloBuilder siloBuilder)
        {
            ArgumentNullException.ThrowIfNull(siloBuilder);
            var store = siloBuilder.Configuration[StoreKey];
            AlignmentServer.AddTenants(siloBuilder.Services, options =>
            {
                options.Store = store!;

                // Subscriptions to a receiver on this machine (none listens: no event is committed for it to get).
                options.AllowInsecureWebhooks = true;
            });
            SiloConfiguration.ConfigureGrains(siloBuilder, traced: false);

            // A dead silo is declared dead after two missed one-second probes (the defaults take several times that).
            siloBuilder.Configure<ClusterMembershipOptions>(membership =>
            {
                membership.ProbeTimeout = TimeSpan.FromSeconds(1);
                membership.NumMissedProbesLimit = 2;
                membership.NumVotesForDeathDeclaration = 1;
            });
        }
    }
}

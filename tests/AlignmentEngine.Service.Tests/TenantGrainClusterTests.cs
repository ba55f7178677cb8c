using System.Globalization;
using AlignmentEngine.Api.V1;
using AlignmentEngine.Grains;
using AlignmentEngine.Service.Pipeline;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Service.Tenants;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using static AlignmentEngine.Service.Tests.GrainClusterCalls;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// The tenant grain on an in-process cluster of three silos (Orleans' TestingHost) sharing one SQLite store: one
/// activation answers through every silo, an idle tenant is deactivated and reloads from the store (unless it has
/// webhook subscriptions, whose deliverers live with its activation), a watcher subscribed to the grain sees every
/// version once and in order across reloads (pushed while the activation knows it, replayed when renewing shows a gap), and the tenants of a killed silo answer again from a survivor
/// with every acknowledged write. An import larger than the silos' message limit travels to its grain in pieces; one whose
/// tenant is deactivated between two pieces is IMPORT_INTERRUPTED with nothing applied, and its retry applies once.
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
    public async Task Watcher_AcrossDeactivationsAndReloads_SeesEveryVersionOnceInOrder_ThroughPushesAndTheReplay()
    {
        await Write(Silo(0), "watched", "C1");
        var grains = Services(Silo(1)).GetRequiredService<TenantGrains>();
        var inbox = new WatchInbox("watched");
        var subscription = new WatchSubscription(grains.Reference(inbox), null, Bound);
        var seen = new List<long>();
        var cursor = await grains.Subscribe("watched", subscription);

        // Pushed as they commit, whichever silo's front took the write (replayed when the pushes overtake each other).
        await Write(Silo(0), "watched", "C2");
        await Write(Silo(2), "watched", "C3");
        cursor = await Received(grains, inbox, cursor, 3, seen);

        // The tenant is deactivated twice and written in between: the activation that committed version 4 never knew the
        // watcher, and the one holding the tenant now has only version 5 in memory.
        await Deactivate("watched");
        await Write(Silo(0), "watched", "C4");
        await Deactivate("watched");
        await Write(Silo(2), "watched", "C5");
        (await Pushed(inbox)).Should().NotContain(v => v > 3, "no activation that committed a version since knew of the watcher");

        // Renewing the subscription shows the watcher what it missed; the replay brings 4 from the store's change log
        // and 5 from memory, and the renewed subscription has the next change pushed.
        var known = await grains.Subscribe("watched", subscription);
        known.Should().Be(5);
        var replayed = await grains.Changes("watched", new WatchRequest(cursor, null));
        cursor = Take(replayed, cursor, seen);
        await Write(Silo(1), "watched", "C6");
        await Received(grains, inbox, cursor, 6, seen);

        seen.Should().Equal([2, 3, 4, 5, 6], "every version after the first, once, in order");
        grains.Forget(subscription.Watcher);
    }

    [Test]
    public async Task Import_LargerThanASiloMessage_TravelsInPieces_AppliesOnce_AndAFailedOneChangesNothing()
    {
        // The tenant's grain on one silo, the import's front on another: the pieces travel between silos, whose message
        // body limit is 1 MiB here (TenantSilo); the import holds about 3 MiB of goals.
        const string tenant = "imported";
        await Write(Silo(0), tenant, "C1");
        var front = Silos().First(s => s != Holders(tenant).Single());
        var goals = new List<Api.V1.Goal> { Objective("C1", GoalLevel.Company, null) };
        goals.AddRange(Enumerable.Range(0, 8_000).Select(k => Objective($"T{k:D4}", GoalLevel.Team, "C1")));
        var requestId = Guid.NewGuid().ToString();
        var whole = goals.Sum(g => g.CalculateSize());
        whole.Should().BeGreaterThan(3 * TenantSilo.MessageBodyLimit, "the import must not fit one grain message");

        var imported = await Import(front, tenant, goals, requestId);
        imported.GoalCount.Should().Be(goals.Count);
        (await Read(Silo(2), tenant, "T7999")).Version.Should().Be(imported.Version);

        // Sent again with its request_id, in other pieces: the original answer, nothing applied.
        var again = await Import(front, tenant, goals, requestId, messageGoals: 1_200);
        again.Should().Be(imported);

        // An import whose last goals name a parent it does not hold is refused, and nothing of it stays.
        goals[^1] = Objective("T7999", GoalLevel.Team, "MISSING");
        var failed = Assert.ThrowsAsync<Grpc.Core.RpcException>(() => Import(front, tenant, goals, Guid.NewGuid().ToString()))!;
        failed.StatusCode.Should().Be(Grpc.Core.StatusCode.FailedPrecondition);
        var read = await Read(Silo(1), tenant, "T7999");
        read.Version.Should().Be(imported.Version);
        read.Goal.Parents.Single().ParentGoalId.Should().Be("C1");

        // Last, as it breaks the connection between the two silos: the same goals as one grain call do not pass the limit.
        var oneMessage = new ApplyChangesRequest { Parent = $"tenants/{tenant}" };
        oneMessage.Changes.AddRange(goals.Select(g => new Api.V1.GoalChange { UpsertGoal = g }));
        var tooLarge = Assert.CatchAsync<RpcException>(() => Services(front).GetRequiredService<TenantGrains>().Write(tenant, TenantMethods.ApplyChanges, oneMessage, ApplyChangesResponse.Parser))!;
        tooLarge.Status.DebugException.Should().BeOfType<SiloUnavailableException>("the receiving silo closes a connection that brings a message over its limit");
        tooLarge.StatusCode.Should().Be(StatusCode.Unavailable);
    }

    [Test]
    public async Task Import_WhoseTenantIsDeactivatedBetweenPieces_IsInterrupted_AppliesNothing_AndItsRetryAppliesOnce()
    {
        // Pieces of at most 256 KiB (a quarter of these silos' 1 MiB limit) and goals of about 420 B: of 1,500 goals in
        // messages of 250, the first piece goes on while the third message is read. The tenant's grain is deactivated
        // before the fifth, with that piece staged in it: the activation that takes the next piece never saw the first.
        const string tenant = "interrupted";
        var before = await Write(Silo(0), tenant, "C1");
        var front = Silos().First(s => s != Holders(tenant).Single());
        var goals = new List<Api.V1.Goal> { Objective("C1", GoalLevel.Company, null) };
        goals.AddRange(Enumerable.Range(0, 1_499).Select(k => Objective($"T{k:D4}", GoalLevel.Team, "C1")));
        var requestId = Guid.NewGuid().ToString();
        var deactivated = false;

        var interrupted = Assert.ThrowsAsync<RpcException>(() => Import(front, tenant, goals, requestId, messageGoals: 250, before: async message =>
        {
            if (message != 4) return;
            await Deactivate(tenant);
            deactivated = true;
        }))!;

        deactivated.Should().BeTrue("the tenant was deactivated in the middle of the import");
        interrupted.StatusCode.Should().Be(StatusCode.Unavailable, interrupted.Status.Detail);
        interrupted.GetRpcStatus()!.Details.Single().Unpack<Google.Rpc.ErrorInfo>().Reason.Should().Be("IMPORT_INTERRUPTED");
        interrupted.Status.Detail.Should().Contain($"tenant '{tenant}'").And.Contain("nothing was applied");
        (await Read(Silo(2), tenant, "C1")).Version.Should().Be(before.Version, "nothing of the interrupted import was applied");
        Assert.ThrowsAsync<RpcException>(() => Read(Silo(2), tenant, "T0000"))!.StatusCode.Should().Be(StatusCode.NotFound);

        // The client sends the whole import again with its request_id: applied once, and once only however often it is sent.
        var imported = await Import(front, tenant, goals, requestId, messageGoals: 250);
        imported.Version.Should().Be(before.Version + 1);
        imported.GoalCount.Should().Be(goals.Count);
        (await Import(front, tenant, goals, requestId)).Should().Be(imported);
        (await Read(Silo(2), tenant, "T1498")).Version.Should().Be(imported.Version);
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


    /// <summary>The silos that hold <paramref name="tenant"/> activated.</summary>
    private List<SiloHandle> Holders(string tenant) =>
        [.. _cluster.Silos.Where(s => Services(s).GetRequiredService<TenantDirectory>().Loaded.Any(t => t.Id == tenant))];

    /// <summary>Deactivates the idle tenant wherever it is (as idle collection does), and waits until no silo holds it.</summary>
    private async Task Deactivate(string tenant)
    {
        await _cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await Until(() => Holders(tenant).Count == 0, $"tenant '{tenant}' to be deactivated");
    }

    /// <summary>
    /// Takes the batches pushed to <paramref name="inbox"/> until the watcher has <paramref name="through"/>, as the front
    /// does: a push that jumps (pushes may arrive out of order) has the versions missed replayed. Answers the new cursor.
    /// </summary>
    private static async Task<long> Received(TenantGrains grains, WatchInbox inbox, long cursor, long through, List<long> seen)
    {
        while (cursor < through)
        {
            var batch = await inbox.Next(Bound, CancellationToken.None) ?? throw new AssertionException($"no change pushed within {Bound.TotalSeconds} s after version {cursor}");
            cursor = Take(batch, cursor, seen);
            if (batch.Version > cursor) cursor = Take(await grains.Changes("watched", new WatchRequest(cursor, null)), cursor, seen);
        }

        return cursor;
    }

    /// <summary>
    /// The versions of a batch that follow <paramref name="cursor"/> go to <paramref name="seen"/>, as the front sends
    /// them: a version it already has is skipped (a push can arrive twice), and it stops at a jump.
    /// </summary>
    private static long Take(WatchBatch batch, long cursor, List<long> seen)
    {
        foreach (var version in batch.Events.Select(e => WatchRollupsResponse.Parser.ParseFrom(e).Version).Where(v => v > cursor))
        {
            if (version != cursor + 1) break;
            seen.Add(cursor = version);
        }

        return cursor;
    }

    /// <summary>The versions of every batch pushed to <paramref name="inbox"/> and not yet taken.</summary>
    private static async Task<List<long>> Pushed(WatchInbox inbox)
    {
        var versions = new List<long>();
        while (await inbox.Next(TimeSpan.Zero, CancellationToken.None) is { } batch) versions.AddRange(batch.Events.Select(e => WatchRollupsResponse.Parser.ParseFrom(e).Version));
        return versions;
    }

    /// <summary>
    /// Imports <paramref name="goals"/> through the gRPC front's handler on <paramref name="silo"/>, as a client's stream of
    /// messages of <paramref name="messageGoals"/> goals each brings them (the first naming the tenant); <paramref name="before"/>
    /// runs before each message is read.
    /// </summary>
    private static async Task<ImportTreeResponse> Import(SiloHandle silo, string tenant, List<Api.V1.Goal> goals, string requestId, int messageGoals = 500,
        Func<int, Task>? before = null)
    {
        var messages = goals.Chunk(messageGoals).Select(chunk => new ImportTreeRequest { Goals = { chunk } }).ToList();
        messages[0].Parent = $"tenants/{tenant}";
        messages[0].RequestId = requestId;
        return PreEncodedResponses.Decoded(await Services(silo).GetRequiredService<AlignmentService>().ImportTree(new MessageStream<ImportTreeRequest>(messages, before), Caller.InGrainOf(tenant), CancellationToken.None));
    }

    private static Api.V1.Goal Objective(string id, GoalLevel level, string? parent)
    {
        var goal = new Api.V1.Goal { GoalId = id, Type = GoalType.Objective, Level = level, Title = $"{id}: {new string('t', 400)}" };
        if (parent is not null) goal.Parents.Add(new Api.V1.ParentLink { ParentGoalId = parent });
        return goal;
    }

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

        /// <summary>Optional: the memory budget of the silo named after the colon (Primary, Secondary_1, ...).</summary>
        public const string BudgetKey = "MaxResidentGoals";

        /// <summary>Optional: every silo's bound on concurrent loads.</summary>
        public const string LoadsKey = "MaxConcurrentLoads";

        /// <summary>Optional: how many seconds an activation may take, in place of the service's own timeout.</summary>
        public const string ActivationTimeoutKey = "ActivationTimeout";

        /// <summary>The largest message body these silos take from each other (Orleans' default is 100 MB).</summary>
        public const int MessageBodyLimit = 1024 * 1024;

        public void Configure(ISiloBuilder siloBuilder)
        {
            ArgumentNullException.ThrowIfNull(siloBuilder);
            var store = siloBuilder.Configuration[StoreKey];
            AlignmentServer.AddTenants(siloBuilder.Services, options =>
            {
                options.Store = store!;
                if (int.TryParse(siloBuilder.Configuration[$"{BudgetKey}:{siloBuilder.Configuration["Orleans:Name"]}"], CultureInfo.InvariantCulture, out var budget)) options.MaxResidentGoals = budget;
                if (int.TryParse(siloBuilder.Configuration[LoadsKey], CultureInfo.InvariantCulture, out var loads)) options.MaxConcurrentLoads = loads;

                // Subscriptions to a receiver on this machine (none listens: no event is committed for it to get).
                options.AllowInsecureWebhooks = true;
            });
            SiloConfiguration.ConfigureGrains(siloBuilder, traced: false);
            if (int.TryParse(siloBuilder.Configuration[ActivationTimeoutKey], CultureInfo.InvariantCulture, out var seconds))
            {
                siloBuilder.Configure<GrainCollectionOptions>(collection => collection.ActivationTimeout = TimeSpan.FromSeconds(seconds));
            }
            siloBuilder.Configure<SiloMessagingOptions>(messaging => messaging.MaxMessageBodySize = MessageBodyLimit);

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

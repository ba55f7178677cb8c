using AlignmentEngine.Api.V1;
using Grpc.Core;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;
using static AlignmentEngine.Storage.Tests.Support.Requests;
using ParentLink = AlignmentEngine.Core.ParentLink;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// Two <c>okr serve</c> processes on one store without <c>--cluster</c> (each database that is available; for SQLite,
/// one file): two deployments, each its own single silo with its own activation of a tenant, neither told of the
/// other's writes. What holds even so is the store's version guard: neither loses the other's committed writes. A
/// write that finds the other's commit takes it in and applies on top, or, with an <c>expected_version</c> the other
/// has moved past, is refused with ABORTED; each then reads what it has taken in. (A cluster, where one activation
/// serves every silo, is <see cref="ClusterServeTests"/>.) A write with a request_id retried through the other
/// deployment (as a client does when the process it wrote through fails) is answered as the first time and applied
/// once: the store keeps the id with the change.
/// </summary>
[TestFixture(typeof(SqliteProvider))]
[TestFixture(typeof(PostgresProvider))]
[TestFixture(typeof(SqlServerProvider))]
public sealed class SeparateDeploymentsTests<TProvider>
    where TProvider : IStoreProvider, new()
{
    private string _location = null!;
    private OkrServer _a = null!;
    private OkrServer _b = null!;

    [SetUp]
    public void StartDeployments()
    {
        _location = new TProvider().NewLocation();
        _a = OkrServer.Start(_location);
        _b = OkrServer.Start(_location);
    }

    [TearDown]
    public void StopDeployments()
    {
        // Null when set-up was skipped (no such database here) or failed half-way.
        _a?.Dispose();
        _b?.Dispose();
    }

    [Test]
    public async Task ApplyChanges_AfterTheOtherDeploymentCommitted_TakesItInOrIsAbortedButLosesNothing()
    {
        await _a.Client.ApplyChangesAsync(Changes("r", Upsert(Goals.Objective("C1")), Upsert(Goals.KeyResult("K", 10, new ParentLink("C1")))));
        (await _b.Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/r/goals/K" })).Version.Should().Be(1, "B loads the tenant as A committed it");
        await _a.Client.ApplyChangesAsync(Changes("r", CheckIn("K", 70)));

        var stale = Changes("r", CheckIn("K", 20));
        stale.ExpectedVersion = 1;
        var refused = Assert.ThrowsAsync<RpcException>(() => _b.Client.ApplyChangesAsync(stale).ResponseAsync);
        var blind = await _b.Client.ApplyChangesAsync(Changes("r", Upsert(Goals.KeyResult("L", 5, new ParentLink("C1")))));

        refused!.StatusCode.Should().Be(StatusCode.Aborted, "A moved the tenant past version 1");
        blind.Version.Should().Be(3, "B took A's check-in in and committed on top of it");
        var onB = await _b.Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/r/goals/K" });
        onB.Goal.Metric.Current.Should().Be(70, "A's check-in stands; B's refused one applied nothing");
        using var store = AlignmentStores.Open(_location);
        (await store.LoadTenantAsync("r"))!.Version.Should().Be(3);
    }

    [Test]
    public async Task ApplyChanges_IncrementsSpreadOverBothDeployments_NoUpdateIsLost()
    {
        await _a.Client.ApplyChangesAsync(Changes("n", Upsert(Goals.Objective("C1")), Upsert(Goals.KeyResult("COUNT", 0, new ParentLink("C1")))));
        const int PerDeployment = 6;

        await Task.WhenAll(Enumerable.Range(0, PerDeployment * 2).Select(k => IncrementAsync(k % 2 == 0 ? _a : _b)));

        using var store = AlignmentStores.Open(_location);
        (await store.LoadTenantAsync("n"))!.Tree.Goals.Single(g => g.Id == "COUNT").Metric!.Current.Should().Be(PerDeployment * 2);
    }

    [Test]
    public async Task ApplyChanges_WithoutExpectedVersionOnBothDeployments_EveryChangeIsKept()
    {
        await _a.Client.ApplyChangesAsync(Changes("w", Upsert(Goals.Objective("C1"))));
        const int PerDeployment = 8;

        // Blind writes race for the same versions: the loser catches up and commits on top, unasked.
        await Task.WhenAll(Enumerable.Range(0, PerDeployment * 2).Select(k =>
            (k % 2 == 0 ? _a : _b).Client.ApplyChangesAsync(Changes("w", Upsert(Goals.KeyResult($"K{k:D2}", k, new ParentLink("C1"))))).ResponseAsync));

        using var store = AlignmentStores.Open(_location);
        var stored = (await store.LoadTenantAsync("w"))!;
        stored.Version.Should().Be(1 + (PerDeployment * 2));
        stored.Tree.Goals.Should().HaveCount(1 + (PerDeployment * 2));
    }

    [Test]
    public async Task RecordCheckIns_RetriedThroughTheOtherDeployment_AnswersTheOriginalAndAppliesNothing()
    {
        await SeedOnBothAsync("retry");
        var request = CheckIns("retry", "K", 70);

        var original = await _a.Client.RecordCheckInsAsync(request);
        var retried = await _b.Client.RecordCheckInsAsync(request);

        retried.Should().Be(original);
        (await VersionOn(_b, "retry")).Should().Be(original.Version, "the retry's deployment took in the write it answered");
        (await VersionOn(_a, "retry")).Should().Be(2, "one write");
        using var store = AlignmentStores.Open(_location);
        (await store.LoadTenantAsync("retry"))!.Version.Should().Be(2);
    }

    [Test]
    public async Task RecordCheckIns_SameRequestThroughBothDeploymentsAtOnce_AppliedOnce()
    {
        await SeedOnBothAsync("at-once");
        const int Rounds = 5;

        for (var round = 0; round < Rounds; round++)
        {
            var request = CheckIns("at-once", "K", 10 + round);

            var answers = await Task.WhenAll(_a.Client.RecordCheckInsAsync(request).ResponseAsync, _b.Client.RecordCheckInsAsync(request).ResponseAsync);

            answers[1].Should().Be(answers[0], "round {0}: both answered the one write", round);
            answers[0].Version.Should().Be(2 + round, "round {0}: one version per round", round);
        }

        using var store = AlignmentStores.Open(_location);
        (await store.LoadTenantAsync("at-once"))!.Version.Should().Be(1 + Rounds);
    }

    [Test]
    public async Task GoalCount_AfterAdditionsRemovalsAndImportsThroughBothDeployments_IsTheTenantsGoals()
    {
        using var store = AlignmentStores.Open(_location);
        await SeedOnBothAsync("g");
        await _b.Client.ApplyChangesAsync(Changes("g", Upsert(Goals.KeyResult("L", 5, new ParentLink("C1"))), Upsert(Goals.KeyResult("M", 5, new ParentLink("C1")))));
        var afterAdditions = await store.CountGoalsAsync("g");
        await _a.Client.ApplyChangesAsync(Changes("g", new Api.V1.GoalChange { RemoveGoal = new Api.V1.RemoveGoal { GoalId = "K" } }));
        var afterRemoval = await store.CountGoalsAsync("g");
        await ImportAsync(_b.Client, "g", Goals.Company(9));
        var afterImport = await store.CountGoalsAsync("g");
        await _b.Client.ApplyChangesAsync(Changes("g", new Api.V1.GoalChange { RemoveGoal = new Api.V1.RemoveGoal { GoalId = "KR0000009" } }));

        afterAdditions.Should().Be(4, "C1, K, L, M: B added two after taking A's commit in");
        afterRemoval.Should().Be(3, "A took B's additions in before removing K");
        afterImport.Should().Be(10);
        (await store.CountGoalsAsync("g")).Should().Be((await store.LoadTenantAsync("g"))!.Tree.Goals.Count).And.Be(9);
    }

    /// <summary>A check-in with a new request_id.</summary>
    private static RecordCheckInsRequest CheckIns(string tenant, string goal, double value)
    {
        var request = new RecordCheckInsRequest { Parent = $"tenants/{tenant}", RequestId = Guid.NewGuid().ToString() };
        request.CheckIns.Add(new Api.V1.CheckIn { GoalId = goal, Value = value });
        return request;
    }

    /// <summary>Creates the tenant through A; B loads it as A committed it on its first read.</summary>
    private async Task SeedOnBothAsync(string tenant)
    {
        await _a.Client.ApplyChangesAsync(Changes(tenant, Upsert(Goals.Objective("C1")), Upsert(Goals.KeyResult("K", 0, new ParentLink("C1")))));
        (await VersionOn(_b, tenant)).Should().Be(1, "B loads the tenant as A committed it");
    }

    private static async Task<long> VersionOn(OkrServer server, string tenant) =>
        (await server.Client.ListGoalsAsync(new ListGoalsRequest { Parent = $"tenants/{tenant}", PageSize = 1 })).Version;

    /// <summary>Reads the count and writes it plus one on the version read, until a write is not refused.</summary>
    private static async Task IncrementAsync(OkrServer server)
    {
        while (true)
        {
            var read = await server.Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/n/goals/COUNT" });
            var request = Changes("n", CheckIn("COUNT", read.Goal.Metric.Current + 1));
            request.ExpectedVersion = read.Version;
            try
            {
                await server.Client.ApplyChangesAsync(request);
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Aborted)
            {
                // The other deployment moved first; this one has now taken its change in: read again.
            }
        }
    }
}

using System.Diagnostics;
using AlignmentEngine.Api.V1;
using Grpc.Core;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;
using static AlignmentEngine.Storage.Tests.Support.Requests;
using ParentLink = AlignmentEngine.Core.ParentLink;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// Two <c>okr serve</c> processes on one store (each database that is available; for SQLite, one file): each sees
/// the other's changes, no update is lost, and a write with a request_id retried through the other process (as a
/// client does when the process it wrote through fails) is answered as the first time and applied once.
/// </summary>
[TestFixture(typeof(SqliteProvider))]
[TestFixture(typeof(PostgresProvider))]
[TestFixture(typeof(SqlServerProvider))]
public sealed class ReplicaTests<TProvider>
    where TProvider : IStoreProvider, new()
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private OkrServer _a = null!;
    private OkrServer _b = null!;

    [SetUp]
    public void StartReplicas()
    {
        var location = new TProvider().NewLocation();
        _a = OkrServer.Start(location);
        _b = OkrServer.Start(location);
    }

    [TearDown]
    public void StopReplicas()
    {
        // Null when set-up was skipped (no such database here) or failed half-way.
        _a?.Dispose();
        _b?.Dispose();
    }

    [Test]
    public async Task ApplyChanges_OnOneReplica_IsSeenByTheOtherAndWatchersThere()
    {
        await _a.Client.ApplyChangesAsync(Changes("r", Upsert(Goals.Objective("C1")), Upsert(Goals.KeyResult("K", 10, new ParentLink("C1")))));
        await Eventually.HoldsAsync(async () => await VersionOn(_b, "r") == 1, Deadline, "B sees A's first change");
        using var watch = _b.Client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/r", SinceVersion = 1 });
        var clock = Stopwatch.StartNew();

        await _a.Client.ApplyChangesAsync(Changes("r", CheckIn("K", 70)));

        await Eventually.HoldsAsync(async () => await CurrentOn(_b, "r", "K") == 70, Deadline, "B sees A's check-in");
        TestContext.Out.WriteLine($"A's write visible on B after {clock.ElapsedMilliseconds} ms");
        (await watch.ResponseStream.MoveNext(CancellationToken.None)).Should().BeTrue();
        watch.ResponseStream.Current.Version.Should().Be(2);
        watch.ResponseStream.Current.Outcome.Goals.Select(g => (g.GoalId, g.After.Progress)).Should().Contain(("K", 0.7));

        await _b.Client.ApplyChangesAsync(Changes("r", CheckIn("K", 90)));
        await Eventually.HoldsAsync(async () => await CurrentOn(_a, "r", "K") == 90, Deadline, "A sees B's check-in");
    }

    [Test]
    public async Task ApplyChanges_SameExpectedVersionOnBothReplicas_ExactlyOneWins()
    {
        await _a.Client.ApplyChangesAsync(Changes("x", Upsert(Goals.Objective("C1")), Upsert(Goals.KeyResult("K", 0, new ParentLink("C1")))));
        await Eventually.HoldsAsync(async () => await VersionOn(_b, "x") == 1, Deadline, "B sees the tenant");

        for (var round = 0; round < 5; round++)
        {
            var version = 1 + round;
            await Eventually.HoldsAsync(async () => await VersionOn(_a, "x") == version && await VersionOn(_b, "x") == version, Deadline, "both at the same version");
            var fromA = Changes("x", CheckIn("K", 100 + round));
            fromA.ExpectedVersion = version;
            var fromB = Changes("x", CheckIn("K", 200 + round));
            fromB.ExpectedVersion = version;

            var outcomes = await Task.WhenAll(TryAsync(_a, fromA), TryAsync(_b, fromB));

            outcomes.Count(o => o == StatusCode.OK).Should().Be(1, "round {0}: exactly one writer of version {1} wins", round, version + 1);
            outcomes.Count(o => o == StatusCode.Aborted).Should().Be(1);
        }
    }

    [Test]
    public async Task ApplyChanges_IncrementsSpreadOverBothReplicas_NoUpdateIsLost()
    {
        await _a.Client.ApplyChangesAsync(Changes("n", Upsert(Goals.Objective("C1")), Upsert(Goals.KeyResult("COUNT", 0, new ParentLink("C1")))));
        await Eventually.HoldsAsync(async () => await VersionOn(_b, "n") == 1, Deadline, "B sees the tenant");
        const int PerReplica = 6;

        await Task.WhenAll(Enumerable.Range(0, PerReplica * 2).Select(k => IncrementAsync(k % 2 == 0 ? _a : _b)));

        await Eventually.HoldsAsync(async () => await CurrentOn(_a, "n", "COUNT") == PerReplica * 2 && await CurrentOn(_b, "n", "COUNT") == PerReplica * 2, Deadline, "every increment counted on both");
    }

    [Test]
    public async Task ApplyChanges_WithoutExpectedVersionOnBothReplicas_EveryChangeIsKeptOnBoth()
    {
        await _a.Client.ApplyChangesAsync(Changes("w", Upsert(Goals.Objective("C1"))));
        await Eventually.HoldsAsync(async () => await VersionOn(_b, "w") == 1, Deadline, "B sees the tenant");
        const int PerReplica = 8;

        // Blind writes race for the same versions: the loser catches up and commits on top, unasked.
        await Task.WhenAll(Enumerable.Range(0, PerReplica * 2).Select(k =>
            (k % 2 == 0 ? _a : _b).Client.ApplyChangesAsync(Changes("w", Upsert(Goals.KeyResult($"K{k:D2}", k, new ParentLink("C1"))))).ResponseAsync));

        await Eventually.HoldsAsync(async () => await VersionOn(_a, "w") == 1 + (PerReplica * 2) && await VersionOn(_b, "w") == 1 + (PerReplica * 2), Deadline, "both at the last version");
        var onA = await ExportAsync(_a.Client, "w");
        var onB = await ExportAsync(_b.Client, "w");
        onA.Goals.Select(g => g.GoalId).Should().HaveCount(1 + (PerReplica * 2));
        onB.Goals.Should().Equal(onA.Goals);
    }

    [Test]
    public async Task RecordCheckIns_RetriedThroughTheOtherProcess_AnswersTheOriginalAndAppliesNothing()
    {
        await SeedAsync("retry");
        var request = CheckIns("retry", "K", 70);

        var original = await _a.Client.RecordCheckInsAsync(request);
        var retried = await _b.Client.RecordCheckInsAsync(request);

        retried.Should().Be(original);
        (await VersionOn(_b, "retry")).Should().Be(original.Version, "the retry's process caught up with the write it answered");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        (await VersionOn(_a, "retry")).Should().Be(2, "one write");
        (await VersionOn(_b, "retry")).Should().Be(2);
    }

    [Test]
    public async Task RecordCheckIns_SameRequestThroughBothProcessesAtOnce_AppliedOnce()
    {
        await SeedAsync("at-once");
        const int Rounds = 5;

        for (var round = 0; round < Rounds; round++)
        {
            var version = 1 + round;
            await Eventually.HoldsAsync(async () => await VersionOn(_a, "at-once") == version && await VersionOn(_b, "at-once") == version, Deadline, "both at the same version");
            var request = CheckIns("at-once", "K", 10 + round);

            var answers = await Task.WhenAll(_a.Client.RecordCheckInsAsync(request).ResponseAsync, _b.Client.RecordCheckInsAsync(request).ResponseAsync);

            answers[1].Should().Be(answers[0], "round {0}: both answered the one write", round);
            answers[0].Version.Should().Be(version + 1);
        }

        await Eventually.HoldsAsync(async () => await VersionOn(_a, "at-once") == 1 + Rounds && await VersionOn(_b, "at-once") == 1 + Rounds, Deadline, "one version per round");
    }

    /// <summary>A check-in with a new request_id.</summary>
    private static RecordCheckInsRequest CheckIns(string tenant, string goal, double value)
    {
        var request = new RecordCheckInsRequest { Parent = $"tenants/{tenant}", RequestId = Guid.NewGuid().ToString() };
        request.CheckIns.Add(new Api.V1.CheckIn { GoalId = goal, Value = value });
        return request;
    }

    private async Task SeedAsync(string tenant)
    {
        await _a.Client.ApplyChangesAsync(Changes(tenant, Upsert(Goals.Objective("C1")), Upsert(Goals.KeyResult("K", 0, new ParentLink("C1")))));
        await Eventually.HoldsAsync(async () => await VersionOn(_b, tenant) == 1, Deadline, "B sees the tenant");
    }

    private static async Task IncrementAsync(OkrServer server)
    {
        while (true)
        {
            var read = await server.Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/n/goals/COUNT" });
            var request = Changes("n", CheckIn("COUNT", read.Goal.Metric.Current + 1));
            request.ExpectedVersion = read.Version;
            if (await TryAsync(server, request) == StatusCode.OK) return;
        }
    }

    private static async Task<StatusCode> TryAsync(OkrServer server, ApplyChangesRequest request)
    {
        try
        {
            await server.Client.ApplyChangesAsync(request);
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static async Task<long> VersionOn(OkrServer server, string tenant)
    {
        try
        {
            return (await server.Client.ListGoalsAsync(new ListGoalsRequest { Parent = $"tenants/{tenant}", PageSize = 1 })).Version;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return 0;
        }
    }

    private static async Task<double> CurrentOn(OkrServer server, string tenant, string goal) =>
        (await server.Client.GetGoalAsync(new GetGoalRequest { Name = $"tenants/{tenant}/goals/{goal}" })).Goal.Metric.Current;
}

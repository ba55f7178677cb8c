using System.Collections.Concurrent;
using System.Diagnostics;
using AlignmentEngine.Api.V1;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;
using Grpc.Core;
using static AlignmentEngine.Storage.Tests.Support.Requests;
using ParentLink = AlignmentEngine.Core.ParentLink;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// Three <c>okr serve --cluster</c> processes on loopback and one PostgreSQL database (the store and the membership,
/// a schema of the test's own; the second silo listens on every address and advertises loopback, the third is given
/// no --store, so its store is the cluster's database): every tenant answers through every silo, one activation
/// serving them all; a silo killed with SIGKILL under write load is declared dead, its tenants answer again through
/// the survivors, no write any silo acknowledged is lost, writes retried with their request_id apply once, and
/// watchers on the survivors see every version once, in order, across the failover.
/// </summary>
public sealed class ClusterServeTests
{
    private const int TenantCount = 50;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly List<OkrServer> _silos = [];

    [TearDown]
    public void StopSilos()
    {
        foreach (var silo in _silos) silo.Dispose();
    }

    [Test]
    public async Task Cluster_TenantsAnswerThroughEverySilo_AndAKilledSilosTenantsComeBack_WritesOnceAndWatchesInOrder()
    {
        var location = TestPostgres.NewSchemaLocation();
        _silos.Add(StartSilo(location, location));
        var listenAnywhere = SiloProcess.FreePort();
        _silos.Add(StartSilo(location, location, "--silo-address", $"127.0.0.1:{listenAnywhere}", "--silo-listen", $"0.0.0.0:{listenAnywhere}"));
        _silos.Add(StartSilo(location, store: null));
        _silos[2].StartLine.Should().Contain("store postgres:", "without --store a silo keeps its tenants in the cluster's database");
        var tenants = Enumerable.Range(0, TenantCount).Select(t => $"c{t:D2}").ToArray();

        // Each tenant created through one silo, in turn, and then read through every silo at the version it has.
        for (var t = 0; t < tenants.Length; t++)
        {
            await _silos[t % 3].Client.ApplyChangesAsync(Changes(tenants[t], Upsert(Goals.Objective("C1")), Upsert(Goals.KeyResult("K", t, new ParentLink("C1")))));
        }

        foreach (var tenant in tenants)
        {
            foreach (var silo in _silos) (await silo.Client.GetGoalAsync(new GetGoalRequest { Name = $"tenants/{tenant}/goals/K" })).Version.Should().Be(1);
        }

        // A write through one silo is read through the next at once: one activation, not a copy per silo.
        await _silos[0].Client.ApplyChangesAsync(Changes(tenants[0], CheckIn("K", 77)));
        (await _silos[1].Client.GetGoalAsync(new GetGoalRequest { Name = $"tenants/{tenants[0]}/goals/K" })).Goal.Metric.Current.Should().Be(77);

        // The version each tenant has before the writers start; ten tenants watched from it, through the two
        // survivors-to-be (the third silo created tenants 2, 5 and 8, so it likely holds their activations).
        var baseline = new Dictionary<string, long>();
        foreach (var tenant in tenants) baseline[tenant] = (await _silos[0].Client.GetGoalAsync(new GetGoalRequest { Name = $"tenants/{tenant}/goals/K" })).Version;
        var watched = tenants.Take(10).ToArray();
        var seen = watched.ToDictionary(t => t, _ => new ConcurrentQueue<long>());
        using var stopWatching = new CancellationTokenSource();
        var watches = watched.Select((t, i) => WatchAsync(_silos[i % 2], t, baseline[t], seen[t], stopWatching.Token)).ToArray();

        // Writers through the same two, each write a new goal with a request_id, sent again with it until acknowledged;
        // then the third silo is killed under them.
        var acknowledged = new ConcurrentBag<(string Tenant, string Goal)>();
        var retried = new ConcurrentBag<string>();
        using var stopWriting = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 10).Select(w => WriteAsync(_silos[w % 2], tenants.Where((_, t) => t % 10 == w).ToArray(), w, acknowledged, retried, stopWriting.Token)).ToArray();
        await Eventually.HoldsAsync(() => Task.FromResult(acknowledged.Count >= 50), Deadline, "the writers are under way");

        _silos[2].Kill();
        var clock = Stopwatch.StartNew();
        var back = new ConcurrentDictionary<string, TimeSpan>();
        await Eventually.HoldsAsync(async () =>
        {
            await Task.WhenAll(tenants.Where(t => !back.ContainsKey(t)).Select(async t =>
            {
                if (await AnswersAsync(_silos[Array.IndexOf(tenants, t) % 2], t)) back.TryAdd(t, clock.Elapsed);
            }));
            return back.Count == tenants.Length;
        }, Deadline, "every tenant answers through the survivors");
        var acknowledgedAtRecovery = acknowledged.Count;
        await Eventually.HoldsAsync(() => Task.FromResult(acknowledged.Count >= acknowledgedAtRecovery + 50), Deadline, "writes go on after the failover");
        await stopWriting.CancelAsync();
        await Task.WhenAll(writers);

        var lost = new List<string>();
        var versions = new Dictionary<string, long>();
        foreach (var tenant in tenants)
        {
            var (version, goals) = await ExportAsync(_silos[0].Client, tenant);
            versions[tenant] = version;
            var kept = goals.Select(g => g.GoalId).ToHashSet();
            lost.AddRange(acknowledged.Where(a => a.Tenant == tenant && !kept.Contains(a.Goal)).Select(a => $"{a.Tenant}/{a.Goal}"));
        }

        lost.Should().BeEmpty("every acknowledged write was committed before it was acknowledged");

        // Every write was acknowledged in the end, retried ones included, and each is one version: a retry that applied
        // again would be one more.
        tenants.Where(t => versions[t] != baseline[t] + acknowledged.Count(a => a.Tenant == t))
            .Select(t => $"{t}: version {versions[t]} after {baseline[t]} and {acknowledged.Count(a => a.Tenant == t)} writes")
            .Should().BeEmpty("each write applies once, however often it was sent");

        // The watchers saw every version after the one they started from, once, in order, across the failover.
        await Eventually.HoldsAsync(() => Task.FromResult(watched.All(t => seen[t].LastOrDefault(baseline[t]) >= versions[t])), Deadline, "the watchers are at the last version");
        await stopWatching.CancelAsync();
        await Task.WhenAll(watches);
        foreach (var tenant in watched)
        {
            seen[tenant].Should().Equal(Enumerable.Range(1, (int)(versions[tenant] - baseline[tenant])).Select(k => baseline[tenant] + k), $"the watcher of {tenant} sees each version once, in order");
        }

        TestContext.Progress.WriteLine(
            $"cluster of 3, {TenantCount} tenants: after SIGKILL of one silo every tenant answered through the survivors within {back.Values.Max().TotalSeconds:F2} s " +
            $"(median tenant {back.Values.Order().ElementAt(back.Count / 2).TotalSeconds:F2} s); {acknowledged.Count} writes acknowledged, none lost, {retried.Distinct().Count()} of them " +
            $"after a retry with their request_id, each applied once; {watched.Length} watchers saw {watched.Sum(t => seen[t].Count)} versions, each once, in order");
    }

    /// <summary>
    /// A silo of the cluster on a free silo port, or as <paramref name="siloArgs"/> say. Its watches renew their
    /// subscriptions every second (--watch-renewal; 5 s by default): after the kill, a watcher whose tenant's new
    /// activation does not know it yet learns of that activation's changes within a second.
    /// </summary>
    private static OkrServer StartSilo(string cluster, string? store, params string[] siloArgs) =>
        OkrServer.StartAt("127.0.0.1:0", store, null,
            ["--cluster", cluster, "--watch-renewal", "1", .. siloArgs.Length > 0 ? siloArgs : ["--silo-address", $"127.0.0.1:{SiloProcess.FreePort()}"]]);

    /// <summary>
    /// Writes a new goal at a time into each of <paramref name="tenants"/> in turn, each write with a request_id of its
    /// own. One that fails (the tenant's silo died under it, or the call timed out: it may or may not have committed) is
    /// sent again, the same request with the same id, until it is acknowledged, and recorded in <paramref name="retried"/>.
    /// </summary>
    private static async Task WriteAsync(OkrServer silo, string[] tenants, int writer, ConcurrentBag<(string, string)> acknowledged, ConcurrentBag<string> retried, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var tenant = tenants[n % tenants.Length];
            var goal = $"W{writer:D2}-{n:D5}";
            var request = Changes(tenant, Upsert(Goals.KeyResult(goal, 1, new ParentLink("C1"))));
            request.RequestId = Guid.NewGuid().ToString();
            var giveUp = DateTime.UtcNow + Deadline;
            while (true)
            {
                try
                {
                    await silo.Client.ApplyChangesAsync(request, deadline: DateTime.UtcNow.AddSeconds(5));
                    break;
                }
                catch (RpcException) when (DateTime.UtcNow < giveUp)
                {
                    retried.Add(goal);
                    await Task.Delay(100, CancellationToken.None);
                }
            }

            acknowledged.Add((tenant, goal));
        }
    }

    /// <summary>Watches <paramref name="tenant"/> through <paramref name="silo"/> from <paramref name="since"/>, each version received going to <paramref name="seen"/>, until stopped.</summary>
    private static async Task WatchAsync(OkrServer silo, string tenant, long since, ConcurrentQueue<long> seen, CancellationToken stop)
    {
        using var call = silo.Client.WatchRollups(new WatchRollupsRequest { Parent = $"tenants/{tenant}", SinceVersion = since }, cancellationToken: stop);
        try
        {
            while (await call.ResponseStream.MoveNext(stop)) seen.Enqueue(call.ResponseStream.Current.Version);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
        {
            // The test is done watching.
        }
    }

    /// <summary>Whether <paramref name="tenant"/> answers a read through <paramref name="silo"/> within a second.</summary>
    private static async Task<bool> AnswersAsync(OkrServer silo, string tenant)
    {
        try
        {
            await silo.Client.GetGoalAsync(new GetGoalRequest { Name = $"tenants/{tenant}/goals/K" }, deadline: DateTime.UtcNow.AddSeconds(1));
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
    }
}

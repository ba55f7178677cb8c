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
/// the survivors, and no write any silo acknowledged is lost.
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
    public async Task Cluster_TenantsAnswerThroughEverySilo_AndAKilledSilosTenantsComeBackWithEveryAcknowledgedWrite()
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

        // Writers through the two survivors-to-be, each write a new goal; then the third silo is killed under them.
        var acknowledged = new ConcurrentBag<(string Tenant, string Goal)>();
        using var stopWriting = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 10).Select(w => WriteAsync(_silos[w % 2], tenants.Where((_, t) => t % 10 == w).ToArray(), w, acknowledged, stopWriting.Token)).ToArray();
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
        foreach (var group in acknowledged.GroupBy(a => a.Tenant))
        {
            var (_, goals) = await ExportAsync(_silos[0].Client, group.Key);
            var kept = goals.Select(g => g.GoalId).ToHashSet();
            lost.AddRange(group.Where(a => !kept.Contains(a.Goal)).Select(a => $"{a.Tenant}/{a.Goal}"));
        }

        lost.Should().BeEmpty("every acknowledged write was committed before it was acknowledged");
        TestContext.Progress.WriteLine(
            $"cluster of 3, {TenantCount} tenants: after SIGKILL of one silo every tenant answered through the survivors within {back.Values.Max().TotalSeconds:F2} s " +
            $"(median tenant {back.Values.Order().ElementAt(back.Count / 2).TotalSeconds:F2} s); {acknowledged.Count} writes acknowledged, none lost");
    }

    /// <summary>A silo of the cluster on a free silo port, or as <paramref name="siloArgs"/> say.</summary>
    private static OkrServer StartSilo(string cluster, string? store, params string[] siloArgs) =>
        OkrServer.StartAt("127.0.0.1:0", store, null,
            ["--cluster", cluster, .. siloArgs.Length > 0 ? siloArgs : ["--silo-address", $"127.0.0.1:{SiloProcess.FreePort()}"]]);

    /// <summary>Writes a new goal at a time into each of <paramref name="tenants"/> in turn, recording each one acknowledged; failures are retried with the next goal.</summary>
    private static async Task WriteAsync(OkrServer silo, string[] tenants, int writer, ConcurrentBag<(string, string)> acknowledged, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var tenant = tenants[n % tenants.Length];
            var goal = $"W{writer:D2}-{n:D5}";
            try
            {
                await silo.Client.ApplyChangesAsync(Changes(tenant, Upsert(Goals.KeyResult(goal, 1, new ParentLink("C1")))), deadline: DateTime.UtcNow.AddSeconds(5));
                acknowledged.Add((tenant, goal));
            }
            catch (RpcException)
            {
                // Not acknowledged (the tenant's silo died under it, or the call timed out): it may or may not have
                // committed, and is not counted either way.
            }
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

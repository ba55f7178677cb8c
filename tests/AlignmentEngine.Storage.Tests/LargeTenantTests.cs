using System.Diagnostics;
using AlignmentEngine.Core;
using AlignmentEngine.Storage.Tests.Support;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// A large tenant is written and read in bulk: a few statements whatever its size. The times are printed for
/// docs/benchmarks.md ("Storage"), never asserted; the million-goal case runs on request (--filter or explicit).
/// </summary>
[TestFixture(typeof(SqliteProvider))]
[TestFixture(typeof(PostgresProvider))]
public sealed class LargeTenantTests<TProvider>
    where TProvider : IStoreProvider, new()
{
    [TestCase(100_000)]
    [TestCase(1_000_000, Explicit = true, Reason = "About a minute per database: run for the benchmark table")]
    public async Task LoadTenant_LargeTree_ReturnsEveryGoalAndBuilds(int goals)
    {
        var tree = Goals.Company(goals - 1);
        var location = new TProvider().NewLocation();
        using var store = AlignmentStores.Open(location);
        await store.MigrateAsync();

        var clock = Stopwatch.StartNew();
        await store.ReplaceAsync(new TreeSnapshot("big", 1, DateTimeOffset.UtcNow, new DateOnly(2026, 6, 1), tree));
        var write = clock.Elapsed;
        clock.Restart();
        var loaded = (await store.LoadTenantAsync("big"))!;
        var read = clock.Elapsed;
        clock.Restart();
        var graph = AlignmentGraph.Build(loaded.Tree).Graph!;
        var build = clock.Elapsed;


        // What a restart costs: the service migrates, loads and builds every tenant before it takes calls.
        clock.Restart();
        await using var server = await TestServer.StartAsync(location);
        var start = clock.Elapsed;
        var served = await server.Client.GetGoalAsync(new Api.V1.GetGoalRequest { Name = "tenants/big/goals/C1" });

        TestContext.Out.WriteLine(
            $"{typeof(TProvider).Name} {goals:N0} goals: import {write.TotalSeconds:F1} s, load {read.TotalSeconds:F1} s, build {build.TotalSeconds:F1} s, service start {start.TotalSeconds:F1} s");
        served.Version.Should().Be(1);
        loaded.Tree.Goals.Should().HaveCount(goals);
        loaded.Tree.Goals[^1].Should().Be(tree.Goals[^1]);
        loaded.Tree.Goals[goals / 2].Should().Be(tree.Goals.OrderBy(g => g.Id, StringComparer.Ordinal).ElementAt(goals / 2));
        graph.Count.Should().Be(goals);
        graph.GetResult("C1", new DateOnly(2026, 6, 1))!.Progress.Should().Be(AlignmentGraph.Build(tree).Graph!.GetResult("C1", new DateOnly(2026, 6, 1))!.Progress);
    }
}

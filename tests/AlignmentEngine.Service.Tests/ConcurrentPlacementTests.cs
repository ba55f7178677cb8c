using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AlignmentEngine.Core;
using AlignmentEngine.Storage;
using Orleans.TestingHost;
using static AlignmentEngine.Service.Tests.GrainClusterCalls;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// Three silos of this service (Orleans' TestingHost), each with a budget of 1,000 resident goals, and three tenants of
/// 600 goals whose first calls all arrive through one silo at the same moment. Only one such tenant fits on a silo, so
/// each must land on a silo of its own, with no eviction: when no silo has held them, because placement reads their size
/// from the store; when silos have, because each placement reserves its tenant's goals on the silo it chose, which the
/// placements decided at the same moment count.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ConcurrentPlacementTests
{
    private const int Budget = 1_000;
    private const int TenantGoals = 600;

    private BudgetedTestCluster _budgeted = null!;

    private TestCluster Cluster => _budgeted.Cluster;

    [OneTimeSetUp]
    public async Task StartCluster() =>
        _budgeted = await BudgetedTestCluster.Start(new Dictionary<string, int> { ["Primary"] = Budget, ["Secondary_1"] = Budget, ["Secondary_2"] = Budget });

    [OneTimeTearDown]
    public Task StopCluster() => _budgeted.DisposeAsync().AsTask();

    [SetUp]
    public Task NothingActivated() => DeactivateIdle(Cluster);

    [Test]
    public async Task LargeTenantsNoSiloHasHeld_CalledTogetherThroughOneSilo_LandOnDifferentSilos()
    {
        string[] tenants = ["unseen-a", "unseen-b", "unseen-c"];
        using (var store = AlignmentStores.Open(_budgeted.Store))
        {
            await store.MigrateAsync();
            foreach (var tenant in tenants) await store.ReplaceAsync(new TreeSnapshot(tenant, 1, DateTimeOffset.UtcNow, new DateOnly(2026, 11, 30), Objectives(TenantGoals)));
        }

        tenants.Should().OnlyContain(t => Cluster.Silos.All(s => Residents(s).SizeOf(t) == null), "the tenants were written to the store, never loaded");
        var sources = new ConcurrentQueue<string>();
        using var decisions = PlacementDecisions(sources);

        await CalledTogetherThroughPrimary(tenants);

        sources.Should().Equal(["store", "store", "store"], "each placement went by the store's count (metric okr.placement.decisions)");
    }

    [Test]
    public async Task LargeTenantsTheSilosHaveSeen_CalledTogetherThroughOneSilo_LandOnDifferentSilos()
    {
        // Written through another silo: the primary has never called them, so it places them (a silo that called a
        // tenant sends its next call to where it was, without placement).
        string[] tenants = ["seen-a", "seen-b", "seen-c"];
        foreach (var tenant in tenants) await Write(Cluster.SecondarySilos[0], tenant, TenantGoals);
        await DeactivateIdle(Cluster);

        tenants.Should().OnlyContain(t => Cluster.Silos.Any(s => Residents(s).SizeOf(t) == TenantGoals), "a silo held each tenant and remembers its size");

        await CalledTogetherThroughPrimary(tenants);
    }

    /// <summary>Calls every tenant through the primary silo at once: each lands on a silo of its own, none evicted, no room left reserved.</summary>
    private async Task CalledTogetherThroughPrimary(string[] tenants)
    {
        var evictions = Cluster.Silos.Sum(s => Residents(s).Evictions);

        await Task.WhenAll(tenants.Select(t => Read(Cluster.Primary!, t, "G0")));

        var holders = tenants.Select(t => string.Join("+", Cluster.Silos.Where(s => Residents(s).Holds(t)).Select(s => s.Name))).ToList();
        holders.Should().OnlyHaveUniqueItems("only one tenant of {0} goals fits in a budget of {1}", TenantGoals, Budget)
            .And.NotContain(string.Empty, "no tenant was evicted").And.NotContain(h => h.Contains('+', StringComparison.Ordinal), "each tenant has one activation");
        Cluster.Silos.Sum(s => Residents(s).Evictions).Should().Be(evictions, "no silo took more than fits");
        Cluster.Silos.Should().OnlyContain(s => Residents(s).Reserved == 0, "each reservation ended when its tenant entered");
    }

    /// <summary>Listens to the placement decisions' metric, queueing the source of each size.</summary>
    private static MeterListener PlacementDecisions(ConcurrentQueue<string> sources)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "okr.placement.decisions") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "okr.placement.size") sources.Enqueue($"{tag.Value}");
            }
        });
        listener.Start();
        return listener;
    }

    private static GoalTree Objectives(int count) =>
        new() { Goals = [.. Enumerable.Range(0, count).Select(k => new GoalDefinition($"G{k}", GoalType.Objective) { Level = GoalLevel.Company })] };
}

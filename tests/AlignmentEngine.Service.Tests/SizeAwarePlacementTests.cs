using Orleans.TestingHost;
using static AlignmentEngine.Service.Tests.GrainClusterCalls;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// Two silos of this service (Orleans' TestingHost) with budgets of 1,000 and 3,000 resident goals: a tenant whose size
/// a silo has seen is placed on the silo with the most budget left, whichever silo's front takes the call.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SizeAwarePlacementTests
{
    private TestCluster _cluster = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _folder = Path.Combine(Path.GetTempPath(), "okr-placement-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var builder = new TestClusterBuilder(2);
        builder.Properties[TenantGrainClusterTests.TenantSilo.StoreKey] = $"sqlite:{Path.Combine(_folder, "alignment.db")}";
        builder.Properties[$"{TenantGrainClusterTests.TenantSilo.BudgetKey}:Primary"] = "1000";
        builder.Properties[$"{TenantGrainClusterTests.TenantSilo.BudgetKey}:Secondary_1"] = "3000";
        builder.AddSiloBuilderConfigurator<TenantGrainClusterTests.TenantSilo>();
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
    public async Task LargeTenant_IsPlacedOnTheSiloWithRoom()
    {
        var small = _cluster.Primary!;
        var large = _cluster.SecondarySilos.Single();
        Residents(large).Budget.Should().Be(3_000, "the test silos are configured by their names");

        // First activations: no silo has seen these tenants, so Orleans' default placed them; their sizes are known now.
        await Write(small, "big", 800);
        await Write(small, "filler", 2_500);
        await DeactivateIdle(_cluster);

        // Calls through the small silo's front: on an empty cluster the large silo has the most room.
        await Read(small, "big", "G0");
        Holder("big").Should().Be(large);
        await DeactivateIdle(_cluster);

        // The filler goes where the most room is (the large silo); then the small silo has more left (1,000 > 500).
        await Read(small, "filler", "G0");
        Holder("filler").Should().Be(large);
        await Read(large, "big", "G0");
        Holder("big").Should().Be(small, "the silo with the most budget left, though the call came through the other");
    }

    private SiloHandle Holder(string tenant) => _cluster.Silos.Single(s => Residents(s).Holds(tenant));
}

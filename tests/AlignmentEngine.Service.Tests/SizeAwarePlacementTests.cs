using Orleans.TestingHost;
using static AlignmentEngine.Service.Tests.GrainClusterCalls;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// Two silos of this service (Orleans' TestingHost) with budgets of 1,000 and 3,000 resident goals: a tenant whose size a
/// silo has seen goes to the silo with room for it, or with the most budget left, whichever front took the call.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SizeAwarePlacementTests
{
    private BudgetedTestCluster _budgeted = null!;

    private TestCluster Cluster => _budgeted.Cluster;

    [OneTimeSetUp]
    public async Task StartCluster() =>
        _budgeted = await BudgetedTestCluster.Start(new Dictionary<string, int> { ["Primary"] = 1_000, ["Secondary_1"] = 3_000 });

    [OneTimeTearDown]
    public Task StopCluster() => _budgeted.DisposeAsync().AsTask();

    [Test]
    public async Task LargeTenant_IsPlacedOnTheSiloWithRoom()
    {
        var small = Cluster.Primary!;
        var large = Cluster.SecondarySilos.Single();
        Residents(large).Budget.Should().Be(3_000, "the test silos are configured by their names");

        // First activations: the silos learn the tenants' sizes.
        await Write(small, "big", 1_500);
        await Write(small, "filler", 2_200);
        await DeactivateIdle(Cluster);

        await Read(small, "big", "G0");
        Holder("big").Should().Be(large, "1,500 goals do not fit in the small silo's 1,000");
        await DeactivateIdle(Cluster);

        // With the filler on the large silo (800 left), the small one has the most left (1,000), whichever front is called.
        await Read(large, "filler", "G0");
        Holder("filler").Should().Be(large);
        await Read(large, "big", "G0");
        Holder("big").Should().Be(small, "the silo with the most budget left, though the call came through the other");
    }

    private SiloHandle Holder(string tenant) => Cluster.Silos.Single(s => Residents(s).Holds(tenant));
}

using Orleans.TestingHost;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// An in-process cluster of this service's silos (<see cref="TenantGrainClusterTests.TenantSilo"/>) on a SQLite store
/// of its own, each silo with the memory budget given for its name (Primary, Secondary_1, ...), for the tests of the
/// memory budget and placement.
/// </summary>
internal sealed class BudgetedTestCluster : IAsyncDisposable
{
    private readonly string _folder;

    private BudgetedTestCluster(TestCluster cluster, string folder, string store)
    {
        Cluster = cluster;
        _folder = folder;
        Store = store;
    }

    public TestCluster Cluster { get; }

    /// <summary>The silos' store, for what a test puts there before any silo has seen it.</summary>
    public string Store { get; }

    public static async Task<BudgetedTestCluster> Start(IReadOnlyDictionary<string, int> budgets, int? loads = null, int? activationTimeoutSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        var folder = Path.Combine(Path.GetTempPath(), "okr-budget-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var builder = new TestClusterBuilder((short)budgets.Count);
        var store = $"sqlite:{Path.Combine(folder, "alignment.db")}";
        builder.Properties[TenantGrainClusterTests.TenantSilo.StoreKey] = store;
        foreach (var (silo, budget) in budgets) builder.Properties[$"{TenantGrainClusterTests.TenantSilo.BudgetKey}:{silo}"] = $"{budget}";
        if (loads is { } bound) builder.Properties[TenantGrainClusterTests.TenantSilo.LoadsKey] = $"{bound}";
        if (activationTimeoutSeconds is { } seconds) builder.Properties[TenantGrainClusterTests.TenantSilo.ActivationTimeoutKey] = $"{seconds}";
        builder.AddSiloBuilderConfigurator<TenantGrainClusterTests.TenantSilo>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new BudgetedTestCluster(cluster, folder, store);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}

using AlignmentEngine.Core;
using AlignmentEngine.Storage;
using BenchmarkDotNet.Attributes;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// What a restart costs per tenant: the bulk read of one tenant's goals and alignments from the embedded SQLite
/// store, and the graph build that follows (the service does both before it takes calls).
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class StoreLoadBenchmarks
{
    private const string Tenant = "bench";
    private string _file = null!;
    private IAlignmentStore _store = null!;
    private int _expected;

    [Params(100_000, 1_000_000)]
    public int Goals { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _file = Path.Combine(Path.GetTempPath(), $"okr-bench-{Guid.NewGuid():N}.db");
        _store = AlignmentStores.Open("sqlite:" + _file);
        await _store.MigrateAsync();
        var tree = Fixtures.Tree(Goals);
        _expected = tree.Goals.Count;
        await _store.ReplaceAsync(new TreeSnapshot(Tenant, 1, DateTimeOffset.UtcNow, Fixtures.AsOf, tree));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(file);
    }

    [Benchmark(Description = "load a tenant from SQLite (bulk read)")]
    public async Task<int> Load()
    {
        var loaded = await _store.LoadTenantAsync(Tenant) ?? throw new InvalidOperationException("the tenant was not stored");
        return loaded.Tree.Goals.Count == _expected ? _expected : throw new InvalidOperationException("goals were lost");
    }

    [Benchmark(Description = "load a tenant from SQLite and build its graph")]
    public async Task<AlignmentGraph> LoadAndBuild() => Fixtures.Graph((await _store.LoadTenantAsync(Tenant))!.Tree);
}

using AlignmentEngine.Core;
using BenchmarkDotNet.Attributes;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// The engine's full roll-up (baseline) against the same roll-up as a recursive query in SQLite, on the same
/// generated organisation, after checking in setup that both give the same value for every goal. The ratio
/// column says how many times slower the hand-written peer is.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class SqlitePeerBenchmarks
{
    private AlignmentGraph _graph = null!;
    private SqliteRollupPeer _peer = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int Goals { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var tree = Fixtures.Tree(Goals);
        _graph = Fixtures.Graph(tree);
        _peer = new SqliteRollupPeer(tree);
        _peer.RollUp();
        _peer.Verify(_graph, Fixtures.AsOf);
    }

    [GlobalCleanup]
    public void Cleanup() => _peer.Dispose();

    [Benchmark(Baseline = true, Description = "engine: full roll-up of values")]
    public AlignmentGraph Engine()
    {
        _graph.RecomputeValues();
        return _graph;
    }

    [Benchmark(Description = "SQLite: recursive depth query + UPDATE per depth")]
    public double SqliteRecursive() => _peer.RollUp();

    [Benchmark(Description = "SQLite: UPDATE per depth, depths cached")]
    public double SqliteLevels() => _peer.RollUpLevels();
}

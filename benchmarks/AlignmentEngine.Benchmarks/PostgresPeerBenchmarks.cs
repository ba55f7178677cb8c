using AlignmentEngine.Core;
using BenchmarkDotNet.Attributes;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// The engine's full roll-up (baseline) against the same roll-up as a recursive query in PostgreSQL, on the same
/// generated organisation, after checking in setup that both give the same value for every goal. Needs a server:
/// its connection string in <c>OKR_BENCH_POSTGRES</c>; without it <see cref="Program"/> leaves this class out
/// of the run and says so. A shorter job with a longer time limit (<see cref="LongRunningConfig"/>): one call at
/// 1,000,000 goals takes tens of seconds.
/// </summary>
[Config(typeof(LongRunningConfig))]
public class PostgresPeerBenchmarks
{
    private AlignmentGraph _graph = null!;
    private PostgresRollupPeer _peer = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int Goals { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var connection = Environment.GetEnvironmentVariable(PostgresRollupPeer.ConnectionVariable)
            ?? throw new InvalidOperationException($"{PostgresRollupPeer.ConnectionVariable} is not set");
        var tree = Fixtures.Tree(Goals);
        _graph = Fixtures.Graph(tree);
        _peer = new PostgresRollupPeer(tree, connection);
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

    [Benchmark(Description = "PostgreSQL: recursive depth query + UPDATE per depth")]
    public double PostgresRecursive() => _peer.RollUp();

    [Benchmark(Description = "PostgreSQL: UPDATE per depth, depths cached")]
    public double PostgresLevels() => _peer.RollUpLevels();
}

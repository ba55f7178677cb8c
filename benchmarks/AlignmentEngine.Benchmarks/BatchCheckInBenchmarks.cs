using AlignmentEngine.Core;
using BenchmarkDotNet.Attributes;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// 10,000 check-ins on distinct individual key results as one change set (a nightly import from a tracker),
/// alternating between two value sets so each call changes every one of them.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class BatchCheckInBenchmarks
{
    public const int BatchSize = 10_000;

    private AlignmentGraph _graph = null!;
    private GoalChange[][] _batches = null!;
    private int _turn;

    [Params(100_000, 1_000_000)]
    public int Goals { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var tree = Fixtures.Tree(Goals);
        _graph = Fixtures.Graph(tree);
        var targets = Fixtures.CheckInTargets(tree, _graph);
        var stride = Math.Max(1, targets.Count / BatchSize);
        var chosen = Enumerable.Range(0, BatchSize).Select(k => targets[k * stride % targets.Count]).Distinct().ToList();
        if (chosen.Count != BatchSize) throw new InvalidOperationException($"only {chosen.Count} distinct check-in targets");
        _batches = [[.. chosen.Select(g => Fixtures.CheckInAt(g, 0.3))], [.. chosen.Select(g => Fixtures.CheckInAt(g, 0.6))]];
    }

    [Benchmark(Description = "10,000 check-ins, one change set (Apply)")]
    public ChangeResult TenThousandCheckIns() => _graph.Apply(_batches[_turn++ & 1], Fixtures.AsOf);
}

using AlignmentEngine.Core;
using BenchmarkDotNet.Attributes;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// The full roll-up against the plain pass a programmer would write over the same arrays (the baseline): the
/// ratio column is the cost of the spec's rules (states, metrics, sums, overrides) on top of the memory traffic.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class RollupBenchmarks
{
    private AlignmentGraph _graph = null!;
    private double[] _scratch = null!;
    private RollupBaselines.PackedLayout _packed = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int Goals { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _graph = Fixtures.Graph(Goals);
        _scratch = new double[_graph.View.NodeSlots];
        RollupBaselines.CheckPackedAgainstEngine(_graph);
        _packed = RollupBaselines.Pack(_graph);
    }

    [Benchmark(Baseline = true, Description = "plain weighted pass (baseline)")]
    public double PlainPass() => RollupBaselines.PlainWeightedPass(_graph, _scratch);

    [Benchmark(Description = "full roll-up (RollUpAll: the build's value pass)")]
    public AlignmentGraph FullRollup()
    {
        _graph.RollUpAll();
        return _graph;
    }

    [Benchmark(Description = "every value re-evaluated, own metrics included")]
    public AlignmentGraph EveryValue()
    {
        _graph.RecomputeValues();
        return _graph;
    }

    [Benchmark(Description = "layout experiment: packed contributing children, leaf values kept")]
    public double PackedLayout() => RollupBaselines.PackedRollupPass(_packed);

    [Benchmark(Description = "full recomputation (ranks, periods, anchoring, values)")]
    public AlignmentGraph FullRecomputation()
    {
        _graph.RecomputeEverything();
        return _graph;
    }
}

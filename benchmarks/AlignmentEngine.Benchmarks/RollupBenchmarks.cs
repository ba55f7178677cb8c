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
    private AlignmentGraph.PackedLayout _packed = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int Goals { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _graph = Fixtures.Graph(Goals);
        _scratch = new double[_graph.NodeSlots];
        _packed = _graph.PackForRollup();
        AlignmentGraph.PackedRollupPass(_packed);
        for (var i = 0; i < _graph.NodeSlots; i++)
        {
            if (_packed.Values[i] != _graph.ValueOf(i)) throw new InvalidOperationException($"packed layout gives {_packed.Values[i]:R} for node {i}, the engine {_graph.ValueOf(i):R}");
        }
    }

    [Benchmark(Baseline = true, Description = "plain weighted pass (baseline)")]
    public double PlainPass() => _graph.PlainWeightedPass(_scratch);

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
    public double PackedLayout() => AlignmentGraph.PackedRollupPass(_packed);

    [Benchmark(Description = "full recomputation (ranks, periods, anchoring, values)")]
    public AlignmentGraph FullRecomputation()
    {
        _graph.RecomputeEverything();
        return _graph;
    }
}

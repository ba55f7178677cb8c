using AlignmentEngine.Core;
using BenchmarkDotNet.Attributes;

namespace AlignmentEngine.Benchmarks;

/// <summary>Every finding of the graph (<see cref="AlignmentGraph.Analyze"/>), messages and sorting included.</summary>
[Config(typeof(BenchmarkConfig))]
public class AnalysisBenchmarks
{
    private AlignmentGraph _graph = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int Goals { get; set; }

    [GlobalSetup]
    public void Setup() => _graph = Fixtures.Graph(Goals);

    [Benchmark(Description = "full analysis (Analyze)")]
    public IReadOnlyList<Finding> FullAnalysis() => _graph.Analyze(Fixtures.AsOf);
}

using AlignmentEngine.Core;
using BenchmarkDotNet.Attributes;

namespace AlignmentEngine.Benchmarks;

/// <summary>Validation, topological numbering, bulk load and the first full computation (<see cref="AlignmentGraph.Build"/>).</summary>
[Config(typeof(BenchmarkConfig))]
public class BuildBenchmarks
{
    private GoalTree _tree = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int Goals { get; set; }

    [GlobalSetup]
    public void Setup() => _tree = Fixtures.Tree(Goals);

    [Benchmark(Description = "graph build (Build)")]
    public GraphBuildResult Build() => AlignmentGraph.Build(_tree);
}

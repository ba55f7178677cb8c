using AlignmentEngine.Core;
using BenchmarkDotNet.Attributes;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// One check-in through <see cref="AlignmentGraph.Apply(IReadOnlyList{GoalChange}, DateOnly)"/>, with its incremental propagation and its change
/// result: on the individual key result (rank 7) whose check-in moves the most goals among the first few
/// hundred, alternating between two values so every call really changes the chain up to the company.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class CheckInBenchmarks
{
    private AlignmentGraph _graph = null!;
    private CheckIn[][] _changes = null!;
    private int _turn;

    [Params(10_000, 100_000, 1_000_000)]
    public int Goals { get; set; }

    /// <summary>Goals whose value the benchmarked check-in changes (printed in setup, recorded in docs/benchmarks.md).</summary>
    public int Reach { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var tree = Fixtures.Tree(Goals);
        _graph = Fixtures.Graph(tree);
        GoalDefinition? best = null;
        foreach (var candidate in Fixtures.CheckInTargets(tree, _graph).Take(500))
        {
            var reach = _graph.Simulate([Fixtures.CheckInAt(candidate, 0.3)], Fixtures.AsOf).Goals.Count;
            if (reach > Reach) (best, Reach) = (candidate, reach);
        }

        _changes = [[Fixtures.CheckInAt(best!, 0.3)], [Fixtures.CheckInAt(best!, 0.6)]];
        Console.WriteLine($"// check-in on {best!.Id} (rank {_graph.View.RankOf(best.Id)}) changes {Reach} goals");
    }

    [Benchmark(Description = "one check-in (Apply)")]
    public ChangeResult OneCheckIn() => _graph.Apply(_changes[_turn++ & 1], Fixtures.AsOf);
}

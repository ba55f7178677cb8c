using AlignmentEngine.Core;
using BenchmarkDotNet.Attributes;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// Simulating the archive of one company objective (C2, which anchors about a sixth of the organisation): the
/// graph is left as it was, the result lists every goal whose value or health moves and every finding that
/// appears (all the orphans below it; those whose anchoring alone moved are written when the result is first read).
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class SimulationBenchmarks
{
    private AlignmentGraph _graph = null!;
    private GoalChange[] _archive = null!;
    private GoalChange[] _archiveTeam = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int Goals { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _graph = Fixtures.Graph(Goals);
        _archive = [new SetState("C2", GoalState.Archived)];
        var result = _graph.Simulate(_archive, Fixtures.AsOf);
        _archiveTeam = [new SetState("D1.T1", GoalState.Archived)];
        var team = _graph.Simulate(_archiveTeam, Fixtures.AsOf);
        Console.WriteLine($"// archiving D1.T1 moves {team.Goals.Count} goals, {team.FindingsAppeared.Count} findings appear");
        Console.WriteLine($"// archiving C2 moves {result.Goals.Count} goals, {result.FindingsAppeared.Count} findings appear, {result.FindingsDisappeared.Count} disappear");
    }

    [Benchmark(Description = "simulate archiving one company objective")]
    public ChangeResult SimulateArchive() => _graph.Simulate(_archive, Fixtures.AsOf);

    /// <summary>
    /// The same, with every finding of the result read (as the service's mapping and the scenario report do): the
    /// orphans of a re-anchoring wave are written and sorted on that first read, not by the simulation.
    /// </summary>
    [Benchmark(Description = "simulate archiving one company objective and read every finding")]
    public int SimulateArchiveAndReadFindings()
    {
        var result = _graph.Simulate(_archive, Fixtures.AsOf);
        var length = 0;
        foreach (var finding in result.FindingsAppeared) length += finding.Message.Length;
        foreach (var finding in result.FindingsDisappeared) length += finding.Message.Length;
        return length;
    }

    /// <summary>For contrast: the same operation on a team objective, whose wave stays small.</summary>
    [Benchmark(Description = "simulate archiving one team objective")]
    public ChangeResult SimulateArchiveTeam() => _graph.Simulate(_archiveTeam, Fixtures.AsOf);
}

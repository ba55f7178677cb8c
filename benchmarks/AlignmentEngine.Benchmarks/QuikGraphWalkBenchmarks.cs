using AlignmentEngine.Core;
using BenchmarkDotNet.Attributes;
using QuikGraph;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// Why the engine keeps its own arrays (docs/architecture.md): the same plain weighted pass as the roll-up's
/// baseline, walked over a QuikGraph <c>BidirectionalGraph</c> holding the same goals and weighted edges, against
/// that pass and the engine's full roll-up over the engine's arrays. Setup prints the bytes per goal the QuikGraph
/// graph holds, beside the engine's (<c>scripts/bench --memory</c>).
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class QuikGraphWalkBenchmarks
{
    private AlignmentGraph _graph = null!;
    private BidirectionalGraph<int, TaggedEdge<int, double>> _reference = null!;
    private double[] _scratch = null!;

    [Params(100_000, 1_000_000)]
    public int Goals { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _graph = Fixtures.Graph(Goals);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        _reference = Reference(_graph);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// QuikGraph BidirectionalGraph of {Goals:N0} goals: {(after - before) / (double)Goals:F1} bytes/goal (vertices, edges, weights; no goal attributes)");
        _scratch = new double[_graph.View.NodeSlots];
        var expected = RollupBaselines.PlainWeightedPass(_graph, new double[_scratch.Length]);
        var walked = QuikGraphPass();
        if (!walked.Equals(expected)) throw new InvalidOperationException($"the QuikGraph walk gives {walked:R}, the plain pass {expected:R}");
    }

    [Benchmark(Baseline = true, Description = "plain weighted pass over the engine's arrays")]
    public double PlainPass() => RollupBaselines.PlainWeightedPass(_graph, _scratch);

    [Benchmark(Description = "the same pass walking a QuikGraph BidirectionalGraph")]
    public double QuikGraphPass()
    {
        for (var i = _scratch.Length - 1; i >= 0; i--)
        {
            if (_reference.IsInEdgesEmpty(i))
            {
                _scratch[i] = _graph.View.Values[i];
                continue;
            }

            double weighted = 0, weights = 0;
            foreach (var edge in _reference.InEdges(i))
            {
                weighted += edge.Tag * _scratch[edge.Source];
                weights += edge.Tag;
            }

            _scratch[i] = weighted / weights;
        }

        return _scratch[0];
    }

    [Benchmark(Description = "the engine's full roll-up (RollUpAll)")]
    public AlignmentGraph FullRollup()
    {
        _graph.RollUpAll();
        return _graph;
    }

    /// <summary>
    /// Vertices are the engine's node indices; an edge runs child → parent with the stored (signed) weight, added
    /// in each node's child order so the walk adds the same numbers in the same order as the plain pass.
    /// </summary>
    private static BidirectionalGraph<int, TaggedEdge<int, double>> Reference(AlignmentGraph graph)
    {
        var view = graph.View;
        // Default capacities: QuikGraph's edge capacity is per vertex, not for the whole graph.
        var reference = new BidirectionalGraph<int, TaggedEdge<int, double>>(allowParallelEdges: true);
        for (var i = 0; i < view.NodeSlots; i++) reference.AddVertex(i);
        for (var i = 0; i < view.NodeSlots; i++)
        {
            foreach (var e in view.ChildEdges(i)) reference.AddEdge(new TaggedEdge<int, double>(view.EdgeChildren[e], i, view.EdgeSignedWeights[e]));
        }

        return reference;
    }
}

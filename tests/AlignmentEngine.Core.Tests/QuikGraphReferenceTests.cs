using FsCheck;
using FsCheckProperty = FsCheck.NUnit.PropertyAttribute;
using QuikGraph;
using QuikGraph.Algorithms;

namespace AlignmentEngine.Core.Tests;

/// <summary>
/// QuikGraph as an independent reference for the engine's own graph algorithms, on random graphs generated and
/// shrunk by FsCheck: strong components against the ALIGNMENT_CYCLE groups (CycleFinder), a topological order
/// against the ranks, and reachability against anchoring. QuikGraph is used here only, never by the engine.
/// </summary>
public sealed class QuikGraphReferenceTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 15);

    /// <summary>
    /// Goals G00..Gnn aligned along arbitrary edges (self-edges and cycles included): the ALIGNMENT_CYCLE findings
    /// are exactly QuikGraph's strong components of two or more goals, and the single goals with an edge to themselves.
    /// </summary>
    [FsCheckProperty(MaxTest = 200)]
    public void AlignmentCycles_ArbitraryEdges_AreTheStrongComponents(PositiveInt size, byte[] ends)
    {
        var n = (size.Get % 24) + 1;
        var edges = new HashSet<(int Child, int Parent)>();
        for (var k = 0; k + 1 < ends.Length; k += 2) edges.Add((ends[k] % n, ends[k + 1] % n));
        var goals = Enumerable.Range(0, n).Select(i => new GoalDefinition(Id(i), GoalType.Objective)
        {
            Level = GoalLevel.Company,
            Parents = [.. edges.Where(e => e.Child == i).Select(e => new ParentLink(Id(e.Parent)))],
        });

        var ours = AlignmentGraph.Build(new GoalTree { Goals = [.. goals] }).Errors
            .Where(f => f.Code == FindingCode.AlignmentCycle)
            .Select(f => string.Join(",", new[] { f.Goal }.Concat(f.Related).Order(StringComparer.Ordinal)));

        var reference = new AdjacencyGraph<int, Edge<int>>();
        reference.AddVertexRange(Enumerable.Range(0, n));
        reference.AddEdgeRange(edges.Select(e => new Edge<int>(e.Child, e.Parent)));
        var component = new Dictionary<int, int>();
        reference.StronglyConnectedComponents(component);
        var expected = component.GroupBy(c => c.Value, c => c.Key)
            .Where(g => g.Count() > 1 || edges.Contains((g.First(), g.First())))
            .Select(g => string.Join(",", g.Select(Id).Order(StringComparer.Ordinal)));

        ours.Should().BeEquivalentTo(expected);
    }

    /// <summary>
    /// On a random valid tree, QuikGraph finds the alignments acyclic and each goal's rank is its longest distance
    /// from a root along QuikGraph's topological order; after random change sets, ranks still grow along every
    /// edge and are never below that distance (a removed edge may leave a rank higher than it needs to be).
    /// </summary>
    [FsCheckProperty(MaxTest = 40)]
    public void Ranks_RandomTreeAndChanges_FollowATopologicalOrder(int seed)
    {
        var random = new RandomTrees(seed);
        var graph = Trees.Build(random.Tree(30 + Math.Abs(seed % 50)));
        var depth = LongestDistanceFromARoot(graph);
        foreach (var (id, d) in depth) graph.View.RankOf(id).Should().Be(d, id);

        for (var step = 0; step < 15; step++)
        {
            if (!graph.Apply(random.ChangeSet(graph), AsOf).Accepted) continue;
            depth = LongestDistanceFromARoot(graph);
            foreach (var (id, d) in depth) graph.View.RankOf(id).Should().BeGreaterThanOrEqualTo(d, id);
            foreach (var (child, parent) in Alignments(graph)) graph.View.RankOf(child).Should().BeGreaterThan(graph.View.RankOf(parent), $"{child} -> {parent}");
        }
    }

    /// <summary>
    /// A counted goal is anchored (no ORPHANED_GOAL) exactly when QuikGraph reaches it from a counted company-level
    /// goal without parents, going down through counted goals only: on a random tree and after random change sets.
    /// </summary>
    [FsCheckProperty(MaxTest = 40)]
    public void Anchoring_RandomTreeAndChanges_IsReachabilityFromCompanyRoots(int seed)
    {
        var random = new RandomTrees(seed);
        var graph = Trees.Build(random.Tree(30 + Math.Abs(seed % 50)));
        AnchoredGoals(graph).Should().BeEquivalentTo(ReachedFromCompanyRoots(graph));
        for (var step = 0; step < 15; step++)
        {
            if (!graph.Apply(random.ChangeSet(graph), AsOf).Accepted) continue;
            AnchoredGoals(graph).Should().BeEquivalentTo(ReachedFromCompanyRoots(graph), $"after step {step}");
        }
    }

    private static string Id(int i) => $"G{i:D2}";

    private static IEnumerable<(string Child, string Parent)> Alignments(AlignmentGraph graph) =>
        graph.Export().Goals.SelectMany(g => g.Parents.Select(p => (g.Id, p.ParentId)));

    /// <summary>Each goal's longest distance from a goal without parents, along QuikGraph's topological order.</summary>
    private static Dictionary<string, int> LongestDistanceFromARoot(AlignmentGraph graph)
    {
        var downward = new AdjacencyGraph<string, Edge<string>>();
        downward.AddVertexRange(graph.AllIds);
        downward.AddEdgeRange(Alignments(graph).Select(a => new Edge<string>(a.Parent, a.Child)));
        var depth = new Dictionary<string, int>();
        foreach (var id in downward.TopologicalSort()) // throws NonAcyclicGraphException on a cycle
        {
            var d = depth.GetValueOrDefault(id);
            depth[id] = d;
            foreach (var edge in downward.OutEdges(id)) depth[edge.Target] = Math.Max(depth.GetValueOrDefault(edge.Target), d + 1);
        }

        return depth;
    }

    private static IEnumerable<string> AnchoredGoals(AlignmentGraph graph)
    {
        var orphans = graph.Analyze(AsOf).Where(f => f.Code == FindingCode.OrphanedGoal).Select(f => f.Goal).ToHashSet();
        return graph.AllIds.Where(id => graph.StateOf(id)!.Value.IsCounted() && !orphans.Contains(id));
    }

    private static HashSet<string> ReachedFromCompanyRoots(AlignmentGraph graph)
    {
        var goals = graph.Export().Goals.Where(g => g.State.IsCounted()).ToList();
        var counted = goals.Select(g => g.Id).ToHashSet();
        var downward = new AdjacencyGraph<string, Edge<string>>();
        downward.AddVertexRange(counted);
        downward.AddEdgeRange(goals.SelectMany(g => g.Parents.Where(p => counted.Contains(p.ParentId)).Select(p => new Edge<string>(p.ParentId, g.Id))));
        var reached = new HashSet<string>();
        foreach (var root in goals.Where(g => g.Parents.Count == 0 && g.Level == GoalLevel.Company))
        {
            var search = new QuikGraph.Algorithms.Search.BreadthFirstSearchAlgorithm<string, Edge<string>>(downward);
            search.DiscoverVertex += v => reached.Add(v);
            search.Compute(root.Id);
        }

        return reached;
    }
}

namespace AlignmentEngine.Core;

/// <summary>The outcome of building a graph: the graph when the tree has no error, else the errors (sorted).</summary>
public sealed record GraphBuildResult(AlignmentGraph? Graph, IReadOnlyList<Finding> Errors);

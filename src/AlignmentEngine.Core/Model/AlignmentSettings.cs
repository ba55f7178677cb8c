namespace AlignmentEngine.Core;

/// <summary>Document-level tolerances and limits (semantics.md defaults).</summary>
public sealed record AlignmentSettings(
    double OnTrackTolerance = 0.10,
    double AtRiskTolerance = 0.25,
    int MaxObjectivesPerOwner = 5)
{
    public static AlignmentSettings Default { get; } = new();
}

namespace AlignmentEngine.Core.Scenarios;

/// <summary>A goal whose progress a scenario moved; a goal that appears or disappears counts from or to 0.</summary>
public sealed record ValueChange(string Id, double Before, double After)
{
    public double Delta => After - Before;
}

namespace AlignmentEngine.Core;

/// <summary>An alignment edge from a goal to one of its parents.</summary>
/// <param name="ParentId">The parent goal's id.</param>
/// <param name="Weight">The child's weight in the parent's roll-up; must be finite and &gt; 0.</param>
/// <param name="Contributes">False: the child supports the parent (anchoring) but is not counted in its progress.</param>
public sealed record ParentLink(string ParentId, double Weight = 1, bool Contributes = true);

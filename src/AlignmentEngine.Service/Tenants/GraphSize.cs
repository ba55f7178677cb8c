namespace AlignmentEngine.Service.Tenants;

/// <summary>How big a tenant's graph is: its goals and the alignments between them.</summary>
internal sealed record GraphSize(int Goals, int Alignments);

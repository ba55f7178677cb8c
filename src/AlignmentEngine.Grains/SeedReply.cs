namespace AlignmentEngine.Grains;

/// <summary>What seeding did, and the tenant's version after it.</summary>
[GenerateSerializer, Immutable]
public sealed record SeedReply(SeedOutcome Outcome, long Version);

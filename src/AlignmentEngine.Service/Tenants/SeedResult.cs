using AlignmentEngine.Core;
using AlignmentEngine.Grains;

namespace AlignmentEngine.Service.Tenants;

/// <summary>The outcome of seeding a tenant (<see cref="TenantGrains.Seed"/>), the tree's errors when invalid, and the tenant's version after.</summary>
public sealed record SeedResult(SeedOutcome Outcome, IReadOnlyList<Finding> Errors, long Version);

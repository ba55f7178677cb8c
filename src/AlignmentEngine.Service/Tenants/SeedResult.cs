using AlignmentEngine.Core;

namespace AlignmentEngine.Service.Tenants;

/// <summary>What seeding a tenant from a tree did.</summary>
public enum SeedOutcome
{
    /// <summary>The tree has errors: nothing was loaded.</summary>
    Invalid,

    /// <summary>The tenant did not exist; it now holds the tree.</summary>
    Loaded,

    /// <summary>The tenant existed and was replaced by the tree (a new version).</summary>
    Replaced,

    /// <summary>The tenant existed and was left as it is: the tree was not loaded.</summary>
    KeptExisting,
}

/// <summary>The outcome of <see cref="TenantDirectory.Seed"/>, the tree's errors when invalid, and the tenant's version after.</summary>
public sealed record SeedResult(SeedOutcome Outcome, IReadOnlyList<Finding> Errors, long Version);

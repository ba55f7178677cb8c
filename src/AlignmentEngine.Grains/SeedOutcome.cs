namespace AlignmentEngine.Grains;

/// <summary>What seeding a tenant from a tree did.</summary>
[GenerateSerializer]
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

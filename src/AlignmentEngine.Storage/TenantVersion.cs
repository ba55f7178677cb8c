namespace AlignmentEngine.Storage;

/// <summary>A tenant and the number of changes committed to it.</summary>
public sealed record TenantVersion(string Tenant, long Version);

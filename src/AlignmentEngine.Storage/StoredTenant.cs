using AlignmentEngine.Core;

namespace AlignmentEngine.Storage;

/// <summary>A tenant as committed: its tree (goals sorted by id), its version and the time of its latest commit.</summary>
public sealed record StoredTenant(string Tenant, long Version, DateTimeOffset CommittedAt, GoalTree Tree);

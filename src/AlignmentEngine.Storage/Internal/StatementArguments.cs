namespace AlignmentEngine.Storage.Internal;

// The parameter sets of the store's statements (Statement<T>): each property is one bound parameter, by name.

/// <summary>A statement that binds nothing.</summary>
internal sealed record NoArguments
{
    public static readonly NoArguments Value = new();
}

internal sealed record TenantKey(string Tenant);

internal sealed record GoalKey(string Tenant, string GoalId);

internal sealed record VersionKey(string Tenant, long Version);

internal sealed record NewTenant(string Tenant, string Settings, long CommittedAt);

/// <summary>Moves a tenant from <see cref="Previous"/> to <see cref="Version"/>, now of <see cref="GoalCount"/> goals; <see cref="Settings"/> null keeps them.</summary>
internal sealed record VersionMove(string Tenant, long Version, long Previous, long CommittedAt, string? Settings, long GoalCount);

/// <summary>
/// A change log row; <see cref="Body"/> is null for a snapshot entry (its tree is in snapshots), the request's three
/// columns for a write sent without a request_id.
/// </summary>
internal sealed record LogInsert(string Tenant, long Version, string Kind, long CommittedAt, long AsOf, string? Body, string? RequestId, byte[]? RequestHash, byte[]? Response)
{
    public LogInsert(string tenant, long version, string kind, long committedAt, long asOf, string? body, StoredRequest? request)
        : this(tenant, version, kind, committedAt, asOf, body, request?.RequestId, request?.Fingerprint, request?.Response)
    {
    }
}

internal sealed record RequestLookup(string Tenant, string RequestId);

internal sealed record CheckInInsert(string Tenant, long Version, long Ordinal, string GoalId, double Value, long? At, double? Confidence, long CommittedAt);

internal sealed record SnapshotInsert(string Tenant, long Version, byte[] Body);

internal sealed record LogAfter(string Tenant, long AfterVersion);

internal sealed record SnapshotBefore(string Tenant, string Kind, long From);

internal sealed record LogRange(string Tenant, long Start, long Until);

internal sealed record SnapshotThrough(string Tenant, string Kind, long Version);

internal sealed record VersionRange(string Tenant, long Start, long Until);

internal sealed record KeyRevocation(string Id, long At);

internal sealed record MigrationRecord(long Version, string Name);

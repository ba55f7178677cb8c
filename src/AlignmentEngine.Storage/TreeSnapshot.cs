using AlignmentEngine.Core;

namespace AlignmentEngine.Storage;

/// <summary>A tenant's whole new tree (an import), to commit as version <see cref="Version"/> on top of <c>Version - 1</c>.</summary>
public sealed record TreeSnapshot(string Tenant, long Version, DateTimeOffset CommittedAt, DateOnly AsOf, GoalTree Tree)
{
    /// <summary>The webhook events the import causes, committed in its transaction (none without subscriptions).</summary>
    public IReadOnlyList<OutboxEvent> Outbox { get; init; } = [];

    /// <summary>The request_id the import was sent with, kept in its log row; null for an import sent without one.</summary>
    public StoredRequest? Request { get; init; }
}

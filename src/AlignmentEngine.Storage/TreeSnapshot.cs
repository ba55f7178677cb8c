using AlignmentEngine.Core;

namespace AlignmentEngine.Storage;

/// <summary>A tenant's whole new tree (an import), to commit as version <see cref="Version"/> on top of <c>Version - 1</c>.</summary>
public sealed record TreeSnapshot(string Tenant, long Version, DateTimeOffset CommittedAt, DateOnly AsOf, GoalTree Tree)
{
    /// <summary>The webhook events the import causes, committed in its transaction (none without subscriptions).</summary>
    public IReadOnlyList<OutboxEvent> Outbox { get; init; } = [];
}

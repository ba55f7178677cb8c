using AlignmentEngine.Core;

namespace AlignmentEngine.Storage;

/// <summary>
/// One accepted change set, ready to commit as version <see cref="Version"/> on top of <c>Version - 1</c>.
/// </summary>
/// <param name="Changes">The operations as applied, in order: the log entry, replayed for history and by replicas.</param>
/// <param name="Goals">The new definition of every goal the operations touched.</param>
/// <param name="Removed">The ids of goals the operations removed.</param>
/// <param name="AsOf">The date health was judged at (the request's as_of), replayed with the operations.</param>
/// <param name="GoalCount">The tenant's goals once the change is applied (kept on its row for placement).</param>
public sealed record ChangeSet(
    string Tenant,
    long Version,
    DateTimeOffset CommittedAt,
    DateOnly AsOf,
    IReadOnlyList<GoalChange> Changes,
    IReadOnlyList<GoalDefinition> Goals,
    IReadOnlyList<string> Removed,
    int GoalCount)
{
    /// <summary>The webhook events the change causes, committed in its transaction (none without subscriptions).</summary>
    public IReadOnlyList<OutboxEvent> Outbox { get; init; } = [];

    /// <summary>The request_id the change was sent with, kept in its log row; null for a write sent without one.</summary>
    public StoredRequest? Request { get; init; }

    /// <summary>A staged change as the change set that commits it as <paramref name="version"/>.</summary>
    public static ChangeSet From(string tenant, long version, DateTimeOffset committedAt, StagedChange staged)
    {
        ArgumentNullException.ThrowIfNull(staged);
        var (goals, removed) = staged.TouchedGoals();
        return new ChangeSet(tenant, version, committedAt, staged.AsOf, staged.Changes, goals, removed, staged.GoalCount);
    }
}

namespace AlignmentEngine.Storage;

/// <summary>
/// Webhook subscriptions and their outbox. The outbox's rows are written by <see cref="IAlignmentStore.AppendAsync"/> and
/// <see cref="IAlignmentStore.ReplaceAsync"/> in the change's own transaction; here they are read, acknowledged and failed.
/// Every method is one transaction; failures are the store's (<see cref="StoreUnavailableException"/>).
/// </summary>
public interface IWebhookStore
{
    /// <summary>Stores a new subscription; its id must be new.</summary>
    Task AddAsync(StoredWebhook webhook, CancellationToken cancellationToken = default);

    /// <summary>A tenant's subscriptions, sorted by creation time, then id.</summary>
    Task<IReadOnlyList<StoredWebhook>> ListAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>The tenants that have subscriptions, sorted: they are activated at a silo's start, so their deliverers run.</summary>
    Task<IReadOnlyList<string>> SubscribedTenantsAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes a subscription and its outbox rows; false when it does not exist.</summary>
    Task<bool> DeleteAsync(string tenant, string id, CancellationToken cancellationToken = default);

    /// <summary>Sets a new secret, keeping the current one as the previous until <paramref name="previousExpiresAt"/>; false when unknown.</summary>
    Task<bool> RotateAsync(string tenant, string id, string secret, DateTimeOffset previousExpiresAt, CancellationToken cancellationToken = default);

    /// <summary>The oldest outbox row (lowest version) of a subscription that is pending; null when none.</summary>
    Task<StoredDelivery?> NextPendingAsync(string webhookId, CancellationToken cancellationToken = default);

    /// <summary>The receiver acknowledged the event: its row is removed.</summary>
    Task DeliveredAsync(string webhookId, long version, CancellationToken cancellationToken = default);

    /// <summary>An attempt failed: counts it, and keeps the time of the first failure and the last error.</summary>
    Task AttemptFailedAsync(string webhookId, long version, DateTimeOffset at, string error, CancellationToken cancellationToken = default);

    /// <summary>Disables the subscription and marks every pending row of it failed, in one transaction.</summary>
    Task DisableAsync(string webhookId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>A subscription's failed rows, in version order.</summary>
    Task<IReadOnlyList<StoredDelivery>> ListFailedAsync(string webhookId, CancellationToken cancellationToken = default);

    /// <summary>Makes failed rows pending again (attempts reset) and enables the subscription; returns how many rows.</summary>
    Task<int> RedeliverAsync(string tenant, string webhookId, CancellationToken cancellationToken = default);
}

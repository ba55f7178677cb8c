namespace AlignmentEngine.Storage;

/// <summary>
/// Webhook subscriptions and their outbox. The outbox's rows are written by <see cref="IAlignmentStore.Append"/> and
/// <see cref="IAlignmentStore.Replace"/> in the change's own transaction; here they are read, acknowledged and failed.
/// Every method is one transaction; failures are the store's (<see cref="StoreUnavailableException"/>).
/// </summary>
public interface IWebhookStore
{
    /// <summary>Stores a new subscription; its id must be new.</summary>
    void Add(StoredWebhook webhook);

    /// <summary>A tenant's subscriptions, sorted by creation time, then id.</summary>
    IReadOnlyList<StoredWebhook> List(string tenant);

    /// <summary>The tenants that have subscriptions, sorted: they are activated at a silo's start, so their deliverers run.</summary>
    IReadOnlyList<string> SubscribedTenants();

    /// <summary>Removes a subscription and its outbox rows; false when it does not exist.</summary>
    bool Delete(string tenant, string id);

    /// <summary>Sets a new secret, keeping the current one as the previous until <paramref name="previousExpiresAt"/>; false when unknown.</summary>
    bool Rotate(string tenant, string id, string secret, DateTimeOffset previousExpiresAt);

    /// <summary>The oldest outbox row (lowest version) of a subscription that is pending; null when none.</summary>
    StoredDelivery? NextPending(string webhookId);

    /// <summary>The receiver acknowledged the event: its row is removed.</summary>
    void Delivered(string webhookId, long version);

    /// <summary>An attempt failed: counts it, and keeps the time of the first failure and the last error.</summary>
    void AttemptFailed(string webhookId, long version, DateTimeOffset at, string error);

    /// <summary>Disables the subscription and marks every pending row of it failed, in one transaction.</summary>
    void Disable(string webhookId, DateTimeOffset at);

    /// <summary>A subscription's failed rows, in version order.</summary>
    IReadOnlyList<StoredDelivery> ListFailed(string webhookId);

    /// <summary>Makes failed rows pending again (attempts reset) and enables the subscription; returns how many rows.</summary>
    int Redeliver(string tenant, string webhookId);
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using AlignmentEngine.Core;
using AlignmentEngine.Storage;

namespace AlignmentEngine.Service.Webhooks;

/// <summary>
/// One tenant's webhook subscriptions and their deliverers: the events a change makes for each subscription (written
/// to the outbox in the change's own transaction by the tenant), and one <see cref="SubscriptionDeliverer"/> per active
/// subscription. Everything here belongs to the tenant and lives with its grain's activation: started when it activates,
/// stopped when it deactivates; a tenant moved to another silo takes its webhooks along (the subscriptions and the
/// outbox are in the store, and the new activation's deliverers resume from the outbox).
/// </summary>
internal sealed class TenantWebhooks(string tenant, WebhookContext context)
{
    /// <summary>How long a rotated-out secret keeps signing.</summary>
    public static readonly TimeSpan RotationGrace = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<string, SubscriptionDeliverer> _deliverers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    // One read of the subscriptions at a time, so that the last read to finish is the last one started.
    private readonly SemaphoreSlim _reloads = new(1, 1);
    private IReadOnlyList<StoredWebhook>? _subscriptions;

    /// <summary>The subscriptions as last read from the store (<see cref="LoadAsync"/> reads them first).</summary>
    public IReadOnlyList<StoredWebhook> Subscriptions =>
        Volatile.Read(ref _subscriptions) ?? throw new InvalidOperationException($"the webhooks of tenant '{tenant}' are used before they were loaded");

    /// <summary>Reads the subscriptions from the store, unless they were read already.</summary>
    public async ValueTask LoadAsync()
    {
        if (Volatile.Read(ref _subscriptions) is not null) return;
        var read = await context.Store.ListAsync(tenant).ConfigureAwait(false);

        // A reload after a change since (Create, Delete, ...) is newer than this first read: it stands.
        Interlocked.CompareExchange(ref _subscriptions, read, null);
    }

    /// <summary>Whether the tenant has subscriptions (active or disabled): its grain then stays activated, to deliver.</summary>
    public bool Any => Subscriptions.Count > 0;

    /// <summary>Reads the subscriptions and starts delivering what the outbox holds for every active one (at activation).</summary>
    public async Task StartAsync()
    {
        await LoadAsync().ConfigureAwait(false);
        foreach (var webhook in Subscriptions) StartDelivering(webhook);
    }

    /// <summary>Stops every deliverer (at deactivation): what they had not delivered stays in the outbox for the next activation.</summary>
    public void Stop()
    {
        foreach (var id in _deliverers.Keys)
        {
            if (_deliverers.TryRemove(id, out var deliverer)) deliverer.Stop();
        }
    }

    /// <summary>The events a committed change makes, one per subscription it concerns; called inside the commit.</summary>
    public IReadOnlyList<OutboxEvent> ForChange(long version, DateTimeOffset committedAt, ChangeResult result, AlignmentGraph graph)
    {
        var subscriptions = Subscriptions;
        if (subscriptions.Count == 0) return [];
        var events = new List<OutboxEvent>();
        foreach (var webhook in subscriptions)
        {
            var payload = WebhookPayload.Changed(WebhookFilter.Of(webhook), tenant, version, committedAt, result, graph, Mapping.ToProto.DefaultMaxListed);
            if (payload is not null) events.Add(new OutboxEvent(webhook.Id, payload));
        }

        return events;
    }

    /// <summary>The events an import makes: one per subscription.</summary>
    public IReadOnlyList<OutboxEvent> ForReplace(long version, DateTimeOffset committedAt) =>
        [.. Subscriptions.Select(w => new OutboxEvent(w.Id, WebhookPayload.Replaced(tenant, version, committedAt)))];

    /// <summary>A change committed: the deliverers look at the outbox.</summary>
    public void Committed()
    {
        foreach (var deliverer in _deliverers.Values) deliverer.Wake();
    }

    public async Task<(StoredWebhook Webhook, string Secret)> CreateAsync(string url, string? subtree, IReadOnlyList<string> kinds, IReadOnlyList<string> codes)
    {
        var secret = NewSecret();
        var webhook = new StoredWebhook(
            "wh" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), tenant, url, subtree, kinds, codes, secret, null, null, TimeProvider.System.GetUtcNow(), null);
        await context.Store.AddAsync(webhook).ConfigureAwait(false);
        await ReloadAsync().ConfigureAwait(false);
        StartDelivering(webhook);
        return (webhook, secret);
    }

    public async Task<bool> DeleteAsync(string id)
    {
        var deleted = await context.Store.DeleteAsync(tenant, id).ConfigureAwait(false);
        if (_deliverers.TryRemove(id, out var deliverer)) deliverer.Stop();
        await ReloadAsync().ConfigureAwait(false);
        return deleted;
    }

    /// <summary>A new secret, or null when the subscription does not exist.</summary>
    public async Task<(string Secret, DateTimeOffset PreviousExpiresAt)?> RotateAsync(string id)
    {
        var secret = NewSecret();
        var expires = TimeProvider.System.GetUtcNow() + RotationGrace;
        if (!await context.Store.RotateAsync(tenant, id, secret, expires).ConfigureAwait(false)) return null;
        await ReloadAsync().ConfigureAwait(false);
        return (secret, expires);
    }

    /// <summary>Enables the subscription again and queues its failed deliveries; null when it does not exist.</summary>
    public async Task<int?> RedeliverAsync(string id)
    {
        await LoadAsync().ConfigureAwait(false);
        if (Find(id) is null) return null;
        var requeued = await context.Store.RedeliverAsync(tenant, id).ConfigureAwait(false);
        await ReloadAsync().ConfigureAwait(false);
        if (Find(id) is { } webhook) StartDelivering(webhook);
        return requeued;
    }

    public async Task<IReadOnlyList<StoredDelivery>?> ListFailedAsync(string id)
    {
        await LoadAsync().ConfigureAwait(false);
        return Find(id) is null ? null : await context.Store.ListFailedAsync(id).ConfigureAwait(false);
    }

    public StoredWebhook? Find(string id) => Subscriptions.FirstOrDefault(w => w.Id == id);

    private void StartDelivering(StoredWebhook webhook)
    {
        if (webhook.DisabledAt is not null) return;
        SubscriptionDeliverer? deliverer;
        lock (_gate)
        {
            var id = webhook.Id;
            if (!_deliverers.TryGetValue(id, out deliverer) || deliverer.Running.IsCompleted)
            {
                deliverer = new SubscriptionDeliverer(tenant, id, () => Find(id), DisabledAsync, context);
                _deliverers[id] = deliverer;
            }
        }

        deliverer.Wake();
    }

    private async Task DisabledAsync(string id)
    {
        _deliverers.TryRemove(id, out _);
        await ReloadAsync().ConfigureAwait(false);
    }

    private async Task ReloadAsync()
    {
        await _reloads.WaitAsync().ConfigureAwait(false);
        try
        {
            Volatile.Write(ref _subscriptions, await context.Store.ListAsync(tenant).ConfigureAwait(false));
        }
        finally
        {
            _reloads.Release();
        }
    }

    /// <summary>A Standard Webhooks secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

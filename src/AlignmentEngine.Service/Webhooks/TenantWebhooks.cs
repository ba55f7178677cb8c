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
    private IReadOnlyList<StoredWebhook>? _subscriptions;

    /// <summary>The subscriptions, read from the store on first use.</summary>
    public IReadOnlyList<StoredWebhook> Subscriptions
    {
        get
        {
            if (Volatile.Read(ref _subscriptions) is { } known) return known;
            lock (_gate)
            {
                return _subscriptions ??= context.Store.List(tenant);
            }
        }
    }

    /// <summary>Whether the tenant has subscriptions (active or disabled): its grain then stays activated, to deliver.</summary>
    public bool Any => Subscriptions.Count > 0;

    /// <summary>Starts delivering what the outbox holds for every active subscription (at activation).</summary>
    public void Start()
    {
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

    public (StoredWebhook Webhook, string Secret) Create(string url, string? subtree, IReadOnlyList<string> kinds, IReadOnlyList<string> codes)
    {
        var secret = NewSecret();
        var webhook = new StoredWebhook(
            "wh" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), tenant, url, subtree, kinds, codes, secret, null, null, TimeProvider.System.GetUtcNow(), null);
        context.Store.Add(webhook);
        Reload();
        StartDelivering(webhook);
        return (webhook, secret);
    }

    public bool Delete(string id)
    {
        var deleted = context.Store.Delete(tenant, id);
        if (_deliverers.TryRemove(id, out var deliverer)) deliverer.Stop();
        Reload();
        return deleted;
    }

    /// <summary>A new secret, or null when the subscription does not exist.</summary>
    public (string Secret, DateTimeOffset PreviousExpiresAt)? Rotate(string id)
    {
        var secret = NewSecret();
        var expires = TimeProvider.System.GetUtcNow() + RotationGrace;
        if (!context.Store.Rotate(tenant, id, secret, expires)) return null;
        Reload();
        return (secret, expires);
    }

    /// <summary>Enables the subscription again and queues its failed deliveries; null when it does not exist.</summary>
    public int? Redeliver(string id)
    {
        if (Find(id) is null) return null;
        var requeued = context.Store.Redeliver(tenant, id);
        Reload();
        if (Find(id) is { } webhook) StartDelivering(webhook);
        return requeued;
    }

    public IReadOnlyList<StoredDelivery>? ListFailed(string id) => Find(id) is null ? null : context.Store.ListFailed(id);

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
                deliverer = new SubscriptionDeliverer(tenant, id, () => Find(id), Disabled, context);
                _deliverers[id] = deliverer;
            }
        }

        deliverer.Wake();
    }

    private void Disabled(string id)
    {
        _deliverers.TryRemove(id, out _);
        Reload();
    }

    private void Reload()
    {
        lock (_gate)
        {
            _subscriptions = context.Store.List(tenant);
        }
    }

    /// <summary>A Standard Webhooks secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

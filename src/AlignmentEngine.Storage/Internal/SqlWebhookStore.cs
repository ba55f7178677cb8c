using System.Data.Common;

namespace AlignmentEngine.Storage.Internal;

/// <summary>Webhook subscriptions and the outbox: each call one transaction, its statements the dialect's.</summary>
internal sealed class SqlWebhookStore(SqlDialect dialect, StoreCalls calls) : IWebhookStore
{
    private const string Pending = "pending";
    private const string Failed = "failed";

    /// <summary>Writes a change's outbox rows inside the transaction that commits the change.</summary>
    public static void Insert(SqlDialect dialect, DbConnection connection, DbTransaction transaction, string tenant, long version, long committedAt, IReadOnlyList<OutboxEvent> events)
    {
        if (events.Count == 0) return;
        dialect.InsertOutboxEvent.ExecuteEach(connection, events.Select(e => new OutboxInsert(e.WebhookId, version, tenant, committedAt, e.Payload, Pending)), transaction);
    }

    public void Add(StoredWebhook webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        Run(nameof(Add), webhook.Tenant, connection => dialect.InsertWebhook.Execute(connection, new WebhookInsert(
            webhook.Id, webhook.Tenant, webhook.Url, webhook.Subtree, string.Join(',', webhook.Kinds), string.Join(',', webhook.Codes), webhook.Secret, Instants.ToStored(webhook.CreatedAt))));
    }

    public IReadOnlyList<StoredWebhook> List(string tenant) => Run(nameof(List), tenant, connection =>
        dialect.TenantWebhooks.Query<WebhookRow>(connection, new TenantKey(tenant))
            .Select(r => r.ToStored())
            .OrderBy(w => w.CreatedAt)
            .ThenBy(w => w.Id, StringComparer.Ordinal)
            .ToList());

    public IReadOnlyList<string> SubscribedTenants() => Run(nameof(SubscribedTenants), null, connection =>
        dialect.SubscribedTenants.Query<string>(connection, NoArguments.Value).Order(StringComparer.Ordinal).ToList());

    public bool Delete(string tenant, string id) => Run(nameof(Delete), tenant, connection =>
    {
        using var transaction = connection.BeginTransaction();
        var deleted = dialect.DeleteWebhook.Execute(connection, new WebhookKey(tenant, id), transaction);
        if (deleted == 1) dialect.DeleteOutboxOf.Execute(connection, new WebhookOutbox(id), transaction);
        transaction.Commit();
        return deleted == 1;
    });

    public bool Rotate(string tenant, string id, string secret, DateTimeOffset previousExpiresAt) => Run(nameof(Rotate), tenant, connection =>
        dialect.RotateWebhookSecret.Execute(connection, new WebhookRotation(tenant, id, secret, Instants.ToStored(previousExpiresAt))) == 1);

    public StoredDelivery? NextPending(string webhookId) => Run(nameof(NextPending), null, connection =>
        dialect.OldestOutboxEvent.Query<DeliveryRow>(connection, new OutboxOfStatus(webhookId, Pending)).FirstOrDefault()?.ToStored());

    public void Delivered(string webhookId, long version) => Run(nameof(Delivered), null, connection =>
        dialect.DeleteOutboxEvent.Execute(connection, new OutboxKey(webhookId, version)));

    public void AttemptFailed(string webhookId, long version, DateTimeOffset at, string error) => Run(nameof(AttemptFailed), null, connection =>
        dialect.RecordOutboxFailure.Execute(connection, new OutboxFailure(webhookId, version, Instants.ToStored(at), error)));

    public void Disable(string webhookId, DateTimeOffset at) => Run(nameof(Disable), null, connection =>
    {
        using var transaction = connection.BeginTransaction();
        dialect.DisableWebhook.Execute(connection, new WebhookDisabling(webhookId, Instants.ToStored(at)), transaction);
        dialect.MoveOutboxStatus.Execute(connection, new OutboxStatusMove(webhookId, Pending, Failed), transaction);
        transaction.Commit();
        return true;
    });

    public IReadOnlyList<StoredDelivery> ListFailed(string webhookId) => Run(nameof(ListFailed), null, connection =>
        dialect.OutboxEvents.Query<DeliveryRow>(connection, new OutboxOfStatus(webhookId, Failed)).Select(r => r.ToStored()).ToList());

    public int Redeliver(string tenant, string webhookId) => Run(nameof(Redeliver), tenant, connection =>
    {
        using var transaction = connection.BeginTransaction();
        dialect.EnableWebhook.Execute(connection, new WebhookKey(tenant, webhookId), transaction);
        var rows = dialect.RequeueOutbox.Execute(connection, new OutboxStatusMove(webhookId, Failed, Pending), transaction);
        transaction.Commit();
        return rows;
    });

    private T Run<T>(string operation, string? tenant, Func<DbConnection, T> action) => calls.Run("Webhooks." + operation, tenant, _ =>
    {
        using var connection = dialect.Open();
        return action(connection);
    });

    private void Run(string operation, string? tenant, Action<DbConnection> action) => Run(operation, tenant, connection =>
    {
        action(connection);
        return true;
    });

    private sealed class WebhookRow
    {
        public string Id { get; set; } = string.Empty;
        public string Tenant { get; set; } = string.Empty;
        public string Url { get; set; } = string.Empty;
        public string? Subtree { get; set; }
        public string Kinds { get; set; } = string.Empty;
        public string Codes { get; set; } = string.Empty;
        public string Secret { get; set; } = string.Empty;
        public string? PreviousSecret { get; set; }
        public long? PreviousExpiresAt { get; set; }
        public long CreatedAt { get; set; }
        public long? DisabledAt { get; set; }

        public StoredWebhook ToStored() => new(
            Id,
            Tenant,
            Url,
            Subtree,
            Kinds.Split(',', StringSplitOptions.RemoveEmptyEntries),
            Codes.Split(',', StringSplitOptions.RemoveEmptyEntries),
            Secret,
            PreviousSecret,
            PreviousExpiresAt is { } expires ? Instants.FromStored(expires) : null,
            Instants.FromStored(CreatedAt),
            DisabledAt is { } disabled ? Instants.FromStored(disabled) : null);
    }

    private sealed class DeliveryRow
    {
        public string WebhookId { get; set; } = string.Empty;
        public long Version { get; set; }
        public long CommittedAt { get; set; }
        public string Payload { get; set; } = string.Empty;
        public string Status { get; set; } = string.Empty;
        public long Attempts { get; set; }
        public long? FirstFailedAt { get; set; }
        public string? LastError { get; set; }

        public StoredDelivery ToStored() => new(
            WebhookId, Version, Instants.FromStored(CommittedAt), Payload, Status == Failed, Attempts, FirstFailedAt is { } at ? Instants.FromStored(at) : null, LastError);
    }
}

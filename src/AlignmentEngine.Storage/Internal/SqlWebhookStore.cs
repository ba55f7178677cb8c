using System.Data.Common;

namespace AlignmentEngine.Storage.Internal;

/// <summary>Webhook subscriptions and the outbox: each call one transaction, its statements the dialect's.</summary>
internal sealed class SqlWebhookStore(SqlDialect dialect, StoreCalls calls) : IWebhookStore
{
    private const string Pending = "pending";
    private const string Failed = "failed";

    /// <summary>Writes a change's outbox rows inside the transaction that commits the change.</summary>
    public static async Task InsertAsync(
        SqlDialect dialect, DbConnection connection, DbTransaction transaction, string tenant, long version, long committedAt, IReadOnlyList<OutboxEvent> events,
        CancellationToken cancellationToken)
    {
        if (events.Count == 0) return;
        var rows = events.Select(e => new OutboxInsert(e.WebhookId, version, tenant, committedAt, e.Payload, Pending));
        await dialect.InsertOutboxEvent.ExecuteEachAsync(connection, rows, transaction, cancellationToken).ConfigureAwait(false);
    }

    public Task AddAsync(StoredWebhook webhook, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        var row = new WebhookInsert(
            webhook.Id, webhook.Tenant, webhook.Url, webhook.Subtree, string.Join(',', webhook.Kinds), string.Join(',', webhook.Codes), webhook.Secret, Instants.ToStored(webhook.CreatedAt));
        return RunAsync("Add", webhook.Tenant, (connection, token) => dialect.InsertWebhook.ExecuteAsync(connection, row, null, token), cancellationToken);
    }

    public Task<IReadOnlyList<StoredWebhook>> ListAsync(string tenant, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<StoredWebhook>>("List", tenant, async (connection, token) =>
            (await dialect.TenantWebhooks.QueryAsync<WebhookRow>(connection, new TenantKey(tenant), null, token).ConfigureAwait(false))
                .Select(r => r.ToStored())
                .OrderBy(w => w.CreatedAt)
                .ThenBy(w => w.Id, StringComparer.Ordinal)
                .ToList(),
            cancellationToken);

    public Task<IReadOnlyList<string>> SubscribedTenantsAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<string>>("SubscribedTenants", null, async (connection, token) =>
            (await dialect.SubscribedTenants.QueryAsync<string>(connection, NoArguments.Value, null, token).ConfigureAwait(false)).Order(StringComparer.Ordinal).ToList(),
            cancellationToken);

    public Task<bool> DeleteAsync(string tenant, string id, CancellationToken cancellationToken = default) => RunAsync("Delete", tenant, async (connection, token) =>
    {
        await using var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
        var deleted = await dialect.DeleteWebhook.ExecuteAsync(connection, new WebhookKey(tenant, id), transaction, token).ConfigureAwait(false);
        if (deleted == 1) await dialect.DeleteOutboxOf.ExecuteAsync(connection, new WebhookOutbox(id), transaction, token).ConfigureAwait(false);
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return deleted == 1;
    }, cancellationToken);

    public Task<bool> RotateAsync(string tenant, string id, string secret, DateTimeOffset previousExpiresAt, CancellationToken cancellationToken = default) =>
        RunAsync("Rotate", tenant, async (connection, token) =>
            await dialect.RotateWebhookSecret.ExecuteAsync(connection, new WebhookRotation(tenant, id, secret, Instants.ToStored(previousExpiresAt)), null, token).ConfigureAwait(false) == 1,
            cancellationToken);

    public Task<StoredDelivery?> NextPendingAsync(string webhookId, CancellationToken cancellationToken = default) => RunAsync("NextPending", null, async (connection, token) =>
        (await dialect.OldestOutboxEvent.QueryAsync<DeliveryRow>(connection, new OutboxOfStatus(webhookId, Pending), null, token).ConfigureAwait(false)).FirstOrDefault()?.ToStored(),
        cancellationToken);

    public Task DeliveredAsync(string webhookId, long version, CancellationToken cancellationToken = default) =>
        RunAsync("Delivered", null, (connection, token) => dialect.DeleteOutboxEvent.ExecuteAsync(connection, new OutboxKey(webhookId, version), null, token), cancellationToken);

    public Task AttemptFailedAsync(string webhookId, long version, DateTimeOffset at, string error, CancellationToken cancellationToken = default) =>
        RunAsync("AttemptFailed", null, (connection, token) =>
            dialect.RecordOutboxFailure.ExecuteAsync(connection, new OutboxFailure(webhookId, version, Instants.ToStored(at), error), null, token), cancellationToken);

    public Task DisableAsync(string webhookId, DateTimeOffset at, CancellationToken cancellationToken = default) => RunAsync("Disable", null, async (connection, token) =>
    {
        await using var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
        await dialect.DisableWebhook.ExecuteAsync(connection, new WebhookDisabling(webhookId, Instants.ToStored(at)), transaction, token).ConfigureAwait(false);
        await dialect.MoveOutboxStatus.ExecuteAsync(connection, new OutboxStatusMove(webhookId, Pending, Failed), transaction, token).ConfigureAwait(false);
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    public Task<IReadOnlyList<StoredDelivery>> ListFailedAsync(string webhookId, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<StoredDelivery>>("ListFailed", null, async (connection, token) =>
            (await dialect.OutboxEvents.QueryAsync<DeliveryRow>(connection, new OutboxOfStatus(webhookId, Failed), null, token).ConfigureAwait(false)).Select(r => r.ToStored()).ToList(),
            cancellationToken);

    public Task<int> RedeliverAsync(string tenant, string webhookId, CancellationToken cancellationToken = default) => RunAsync("Redeliver", tenant, async (connection, token) =>
    {
        await using var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
        await dialect.EnableWebhook.ExecuteAsync(connection, new WebhookKey(tenant, webhookId), transaction, token).ConfigureAwait(false);
        var rows = await dialect.RequeueOutbox.ExecuteAsync(connection, new OutboxStatusMove(webhookId, Failed, Pending), transaction, token).ConfigureAwait(false);
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return rows;
    }, cancellationToken);

    private Task<T> RunAsync<T>(string operation, string? tenant, Func<DbConnection, CancellationToken, Task<T>> action, CancellationToken cancellationToken) =>
        calls.RunAsync("Webhooks." + operation, tenant, async _ =>
        {
            await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await action(connection, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

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

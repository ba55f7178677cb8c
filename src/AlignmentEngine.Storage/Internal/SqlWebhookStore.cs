using System.Data.Common;
using Dapper;

namespace AlignmentEngine.Storage.Internal;

/// <summary>Webhook subscriptions and the outbox in standard SQL, each call one transaction run through the store's <see cref="SqlStore.Run{T}"/>.</summary>
internal sealed class SqlWebhookStore(SqlDialect dialect, SqlStore store) : IWebhookStore
{
    private const string Pending = "pending";
    private const string Failed = "failed";

    private const string SelectWebhook =
        "SELECT id AS Id, tenant AS Tenant, url AS Url, subtree AS Subtree, kinds AS Kinds, codes AS Codes, secret AS Secret, " +
        "previous_secret AS PreviousSecret, previous_expires_at AS PreviousExpiresAt, created_at AS CreatedAt, disabled_at AS DisabledAt FROM webhooks";

    private const string SelectDelivery =
        "SELECT webhook_id AS WebhookId, version AS Version, committed_at AS CommittedAt, payload AS Payload, status AS Status, attempts AS Attempts, " +
        "first_failed_at AS FirstFailedAt, last_error AS LastError FROM webhook_outbox";

    /// <summary>Writes a change's outbox rows inside the transaction that commits the change.</summary>
    public static void Insert(DbConnection connection, DbTransaction transaction, string tenant, long version, long committedAt, IReadOnlyList<OutboxEvent> events)
    {
        if (events.Count == 0) return;
        connection.Execute(
            "INSERT INTO webhook_outbox (webhook_id, version, tenant, committed_at, payload, status, attempts) VALUES (@webhookId, @version, @tenant, @committedAt, @payload, @status, 0)",
            events.Select(e => new { webhookId = e.WebhookId, version, tenant, committedAt, payload = e.Payload, status = Pending }),
            transaction);
    }

    public void Add(StoredWebhook webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        Run(nameof(Add), webhook.Tenant, connection => connection.Execute(
            "INSERT INTO webhooks (id, tenant, url, subtree, kinds, codes, secret, previous_secret, previous_expires_at, created_at, disabled_at) " +
            "VALUES (@Id, @Tenant, @Url, @Subtree, @Kinds, @Codes, @Secret, NULL, NULL, @CreatedAt, NULL)",
            new
            {
                webhook.Id,
                webhook.Tenant,
                webhook.Url,
                webhook.Subtree,
                Kinds = string.Join(',', webhook.Kinds),
                Codes = string.Join(',', webhook.Codes),
                webhook.Secret,
                CreatedAt = Instants.ToStored(webhook.CreatedAt),
            }));
    }

    public IReadOnlyList<StoredWebhook> List(string tenant) => Run(nameof(List), tenant, connection =>
        connection.Query<WebhookRow>($"{SelectWebhook} WHERE tenant = @tenant", new { tenant })
            .Select(r => r.ToStored())
            .OrderBy(w => w.CreatedAt)
            .ThenBy(w => w.Id, StringComparer.Ordinal)
            .ToList());

    public bool Delete(string tenant, string id) => Run(nameof(Delete), tenant, connection =>
    {
        using var transaction = connection.BeginTransaction();
        var deleted = connection.Execute("DELETE FROM webhooks WHERE tenant = @tenant AND id = @id", new { tenant, id }, transaction);
        connection.Execute("DELETE FROM webhook_outbox WHERE webhook_id = @id", new { id }, transaction);
        transaction.Commit();
        return deleted == 1;
    });

    public bool Rotate(string tenant, string id, string secret, DateTimeOffset previousExpiresAt) => Run(nameof(Rotate), tenant, connection =>
        connection.Execute(
            "UPDATE webhooks SET previous_secret = secret, previous_expires_at = @expires, secret = @secret WHERE tenant = @tenant AND id = @id",
            new { tenant, id, secret, expires = Instants.ToStored(previousExpiresAt) }) == 1);

    public StoredDelivery? NextPending(string webhookId) => Run(nameof(NextPending), null, connection =>
        connection.QueryFirstOrDefault<DeliveryRow>(
            $"{SelectDelivery} WHERE webhook_id = @webhookId AND status = @status ORDER BY version", new { webhookId, status = Pending })?.ToStored());

    public void Delivered(string webhookId, long version) => Run(nameof(Delivered), null, connection =>
        connection.Execute("DELETE FROM webhook_outbox WHERE webhook_id = @webhookId AND version = @version", new { webhookId, version }));

    public void AttemptFailed(string webhookId, long version, DateTimeOffset at, string error) => Run(nameof(AttemptFailed), null, connection =>
        connection.Execute(
            "UPDATE webhook_outbox SET attempts = attempts + 1, first_failed_at = COALESCE(first_failed_at, @at), last_error = @error WHERE webhook_id = @webhookId AND version = @version",
            new { webhookId, version, at = Instants.ToStored(at), error }));

    public void Disable(string webhookId, DateTimeOffset at) => Run(nameof(Disable), null, connection =>
    {
        using var transaction = connection.BeginTransaction();
        connection.Execute("UPDATE webhooks SET disabled_at = @at WHERE id = @webhookId", new { webhookId, at = Instants.ToStored(at) }, transaction);
        connection.Execute("UPDATE webhook_outbox SET status = @failed WHERE webhook_id = @webhookId AND status = @pending", new { webhookId, failed = Failed, pending = Pending }, transaction);
        transaction.Commit();
        return true;
    });

    public IReadOnlyList<StoredDelivery> ListFailed(string webhookId) => Run(nameof(ListFailed), null, connection =>
        connection.Query<DeliveryRow>($"{SelectDelivery} WHERE webhook_id = @webhookId AND status = @status ORDER BY version", new { webhookId, status = Failed })
            .Select(r => r.ToStored())
            .ToList());

    public int Redeliver(string tenant, string webhookId) => Run(nameof(Redeliver), tenant, connection =>
    {
        using var transaction = connection.BeginTransaction();
        connection.Execute("UPDATE webhooks SET disabled_at = NULL WHERE tenant = @tenant AND id = @webhookId", new { tenant, webhookId }, transaction);
        var rows = connection.Execute(
            "UPDATE webhook_outbox SET status = @pending, attempts = 0, first_failed_at = NULL WHERE webhook_id = @webhookId AND status = @failed",
            new { webhookId, failed = Failed, pending = Pending }, transaction);
        transaction.Commit();
        return rows;
    });

    private T Run<T>(string operation, string? tenant, Func<DbConnection, T> action) => store.Run("Webhooks." + operation, tenant, _ =>
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

namespace AlignmentEngine.Storage.Internal;

// The parameter sets of the webhook statements (Statement<T>): each property is one bound parameter, by name.

internal sealed record WebhookInsert(string Id, string Tenant, string Url, string? Subtree, string Kinds, string Codes, string Secret, long CreatedAt);

internal sealed record WebhookKey(string Tenant, string Id);

internal sealed record WebhookRotation(string Tenant, string Id, string Secret, long PreviousExpiresAt);

internal sealed record WebhookDisabling(string WebhookId, long At);

internal sealed record WebhookOutbox(string WebhookId);

internal sealed record OutboxInsert(string WebhookId, long Version, string Tenant, long CommittedAt, string Payload, string Status);

internal sealed record OutboxOfStatus(string WebhookId, string Status);

internal sealed record OutboxKey(string WebhookId, long Version);

internal sealed record OutboxFailure(string WebhookId, long Version, long At, string Error);

internal sealed record OutboxStatusMove(string WebhookId, string From, string To);

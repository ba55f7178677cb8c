namespace AlignmentEngine.Storage;

/// <summary>An event waiting in the outbox for one subscription: pending, or failed once the subscription was disabled.</summary>
/// <param name="FirstFailedAt">When its first attempt failed; null before any failure.</param>
public sealed record StoredDelivery(
    string WebhookId,
    long Version,
    DateTimeOffset CommittedAt,
    string Payload,
    bool Failed,
    long Attempts,
    DateTimeOffset? FirstFailedAt,
    string? LastError);

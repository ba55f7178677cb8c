namespace AlignmentEngine.Storage;

/// <summary>
/// One event for one webhook subscription, committed in the same transaction as the change that caused it
/// (<see cref="ChangeSet.Outbox"/>, <see cref="TreeSnapshot.Outbox"/>): the version is the change's.
/// </summary>
/// <param name="Payload">The JSON body sent, exactly as signed.</param>
public sealed record OutboxEvent(string WebhookId, string Payload);

using AlignmentEngine.Storage;

namespace AlignmentEngine.Service.Webhooks;

/// <summary>What every tenant's webhooks share: the store's webhook tables, the sender, the options, and the process's stop signal.</summary>
internal sealed record WebhookContext(IWebhookStore Store, WebhookSender Sender, AlignmentServiceOptions Options, CancellationToken Stopping);

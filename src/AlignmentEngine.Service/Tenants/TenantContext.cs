using AlignmentEngine.Service.Webhooks;
using AlignmentEngine.Storage;

namespace AlignmentEngine.Service.Tenants;

/// <summary>What every tenant shares: the store it commits to, the health it reports store failures to, the clock, the webhooks' sender and options.</summary>
internal sealed record TenantContext(IAlignmentStore Store, StoreHealth Health, TimeProvider Clock, int LogCapacity, WebhookContext Webhooks);

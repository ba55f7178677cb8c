namespace AlignmentEngine.Service.Capacity;

/// <summary>
/// What one silo tells placement about itself and one tenant: the budget it has left (null: it has none, so room for
/// anything), and the tenant's goals as it last saw them (null: it never held the tenant).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SiloCapacity(long? Free, int? TenantGoals);

using AlignmentEngine.Core;

namespace AlignmentEngine.Service.Tenants;

/// <summary>One committed change of a tenant, as watchers receive it.</summary>
/// <param name="TreeReplaced">The whole tree was replaced (an import): no per-goal detail.</param>
internal sealed record TenantEvent(
    long Version,
    IReadOnlyList<GoalDelta> Goals,
    IReadOnlyList<Finding> Appeared,
    IReadOnlyList<Finding> Disappeared,
    bool TreeReplaced);

using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;

namespace AlignmentEngine.Service.Capacity;

/// <summary>
/// Places a tenant's grain by its size and the silos' memory budgets (<c>--max-resident-goals</c>), so that two large
/// tenants do not land on one small silo while another has room. Each silo is asked, when the tenant is placed, for its
/// budget left and for the tenant's size as it last saw it (<see cref="CapacityService"/>; a silo that does not answer
/// within <see cref="CapacityClient.AskTimeout"/> is left out). The tenant stays on the silo placing it (whose front
/// took the call) when it fits in that silo's budget left, and otherwise goes to the silo with the most left; when no
/// silo knows its size, to the silo with the most left. A silo without a budget of its own (the default) asks no one:
/// Orleans' default placement decides there, as it does when no silo answers with a budget.
/// <para>
/// What it does not see: another silo placing a tenant at the same moment (each counts only what is loaded), and a
/// tenant that grew since a silo last held it. The silo that loads it then keeps within its budget by evicting.
/// </para>
/// </summary>
internal sealed class SizeAwarePlacementDirector(CapacityClient capacities, ResidentGoals residents, IServiceProvider services) : IPlacementDirector
{
    private readonly Lazy<(PlacementStrategy Strategy, IPlacementDirector Director)> _default = new(() =>
    {
        var strategy = services.GetRequiredService<PlacementStrategy>();
        return (strategy, services.GetRequiredKeyedService<IPlacementDirector>(strategy.GetType()));
    });

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var silos = context.GetCompatibleSilos(target);
        if (silos.Length > 1 && residents.Budget is not null)
        {
            var tenant = target.GrainIdentity.Key.ToString();
            var answers = await capacities.Ask(silos, tenant).ConfigureAwait(false);
            if (Choose(answers, Array.IndexOf(silos, context.LocalSilo)) is { } chosen) return silos[chosen];
        }

        var (fallback, director) = _default.Value;
        return await director.OnAddActivation(fallback, target, context).ConfigureAwait(false);
    }

    /// <summary>
    /// The silo to place a tenant on, from each silo's answer (null: it did not answer), or null when no silo has a
    /// budget. <paramref name="local"/> (the silo placing it) when the tenant's known size fits in its budget left;
    /// otherwise the most budget left wins (a silo without a budget has room for anything), and of equals the local one.
    /// </summary>
    public static int? Choose(IReadOnlyList<SiloCapacity?> answers, int local)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (!answers.Any(a => a?.Free is not null)) return null;
        var size = answers.Max(a => a?.TenantGoals);
        if (size is { } goals && local >= 0 && local < answers.Count && answers[local] is { } here && (here.Free ?? long.MaxValue) >= goals) return local;

        int? best = null;
        for (var k = 0; k < answers.Count; k++)
        {
            if (answers[k] is not { } answer) continue;
            var free = answer.Free ?? long.MaxValue;
            var bestFree = best is { } b ? answers[b]!.Free ?? long.MaxValue : long.MinValue;
            if (free > bestFree || (free == bestFree && k == local)) best = k;
        }

        return best;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;

namespace AlignmentEngine.Service.Capacity;

/// <summary>
/// Places a tenant's grain on the compatible silo with the most budget left (<c>--max-resident-goals</c>), so that two
/// large tenants do not land on one small silo while another has room. Each silo is asked, when the tenant is placed,
/// for its budget left and for the tenant's size as it last saw it (<see cref="CapacityService"/>; a silo that does not
/// answer within <see cref="AskTimeout"/> is left out). When no silo knows the tenant's size (it has not been activated
/// since the silos that held it started), or no silo has a budget, Orleans' default placement decides.
/// <para>
/// What it does not see: another silo placing a tenant at the same moment (each counts only what is loaded), and a
/// tenant that grew since a silo last held it. The silo that loads it then keeps within its budget by evicting.
/// </para>
/// </summary>
internal sealed class SizeAwarePlacementDirector(CapacityClient capacities, IServiceProvider services) : IPlacementDirector
{
    /// <summary>How long a silo may take to tell its capacity: longer, and it is not chosen (it may be dying).</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    private readonly Lazy<(PlacementStrategy Strategy, IPlacementDirector Director)> _default = new(() =>
    {
        var strategy = services.GetRequiredService<PlacementStrategy>();
        return (strategy, services.GetRequiredKeyedService<IPlacementDirector>(strategy.GetType()));
    });

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var silos = context.GetCompatibleSilos(target);
        if (silos.Length > 1)
        {
            var tenant = target.GrainIdentity.Key.ToString();
            var answers = await Task.WhenAll(silos.Select(silo => Ask(silo, tenant))).ConfigureAwait(false);
            if (Choose(answers, Array.IndexOf(silos, context.LocalSilo)) is { } chosen) return silos[chosen];
        }

        var (fallback, director) = _default.Value;
        return await director.OnAddActivation(fallback, target, context).ConfigureAwait(false);
    }

    /// <summary>
    /// The silo to place a tenant on, from each silo's answer (null: it did not answer), or null when the answers do not
    /// decide (the tenant's size is unknown, or no silo has a budget). The most budget left wins (a silo without a budget
    /// has room for anything); of equals, <paramref name="local"/>, the silo placing it (its calls then stay in process).
    /// </summary>
    public static int? Choose(IReadOnlyList<SiloCapacity?> answers, int local)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (!answers.Any(a => a?.TenantGoals is not null) || !answers.Any(a => a?.Free is not null)) return null;
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

    private async Task<SiloCapacity?> Ask(SiloAddress silo, string tenant)
    {
        try
        {
            return await capacities.On(silo).Capacity(tenant).WaitAsync(AskTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or OperationCanceledException)
        {
            return null;
        }
    }
}

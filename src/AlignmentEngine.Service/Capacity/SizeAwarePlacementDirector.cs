using System.Diagnostics.Metrics;
using AlignmentEngine.Service.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;

namespace AlignmentEngine.Service.Capacity;

/// <summary>
/// Places a tenant's grain by its size and the silos' memory budgets (<c>--max-resident-goals</c>), so that two large
/// tenants do not land on one small silo while another has room. Each silo is asked, when the tenant is placed, for its
/// budget left and for the tenant's size as it last saw it (<see cref="CapacityService"/>; a silo that does not answer
/// within <see cref="CapacityClient.AskTimeout"/> is left out). The size placement goes by is the largest a silo saw
/// (fresher than the store's: a silo's own ledger follows every write it applies) or, when no silo has held the tenant,
/// the store's count (<see cref="StoredTenantSizes"/>). The tenant stays on the silo placing it (whose front took the
/// call) when it fits in that silo's budget left, and otherwise goes to the silo with the most left; so it does when its
/// size is unknown. A silo without a budget of its own (the default) asks no one: Orleans' default placement decides
/// there, as it does when no silo answers with a budget.
/// <para>
/// A tenant of known size reserves its goals on the chosen silo until it loads there (<see cref="ResidentGoals.Reserve"/>),
/// so the placements that follow, on any silo, count it; placements decided here at the same moment see each other
/// (<see cref="PlacementsInFlight"/>). What it does not see: placements decided at the same moment on another silo
/// (for the few milliseconds before their reservation lands), and a tenant that grew since it was last counted. The
/// silo that loads it then keeps within its budget by evicting.
/// </para>
/// </summary>
internal sealed partial class SizeAwarePlacementDirector : IPlacementDirector
{
    // Where the size a placement went by came from: a silo's ledger, the store's count, or nowhere.
    private const string SeenSize = "seen";
    private const string StoreSize = "store";
    private const string UnknownSize = "unknown";

    private static readonly Meter Meter = new(RpcTelemetry.Name);

    private static readonly Counter<long> Decisions = Meter.CreateCounter<long>(
        "okr.placement.decisions", "{tenant}", "Tenants placed by size and budget, by where their size came from (okr.placement.size: seen, store, unknown).");

    private readonly CapacityClient _capacities;
    private readonly ResidentGoals _residents;
    private readonly StoredTenantSizes _sizes;
    private readonly PlacementsInFlight _inFlight;
    private readonly TimeProvider _clock;
    private readonly ILogger<SizeAwarePlacementDirector> _logger;
    private readonly Lazy<(PlacementStrategy Strategy, IPlacementDirector Director)> _default;

    public SizeAwarePlacementDirector(
        CapacityClient capacities, ResidentGoals residents, StoredTenantSizes sizes, IOptions<AlignmentServiceOptions> options, ILogger<SizeAwarePlacementDirector> logger,
        IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        _capacities = capacities;
        _residents = residents;
        _sizes = sizes;
        _clock = options.Value.Clock;
        _inFlight = new PlacementsInFlight(_clock);
        _logger = logger;
        _default = new(() =>
        {
            var strategy = services.GetRequiredService<PlacementStrategy>();
            return (strategy, services.GetRequiredKeyedService<IPlacementDirector>(strategy.GetType()));
        });
    }

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var silos = context.GetCompatibleSilos(target);
        if (silos.Length > 1 && _residents.Budget is not null)
        {
            var tenant = target.GrainIdentity.Key.ToString()!;
            var askedAt = _clock.GetTimestamp();
            var answers = await _capacities.Ask(silos, tenant).ConfigureAwait(false);
            var (goals, source) = await SizeOf(tenant, answers).ConfigureAwait(false);
            var (chosen, placement) = _inFlight.Decide(silos, answers, Array.IndexOf(silos, context.LocalSilo), goals, askedAt);
            if (chosen is { } k)
            {
                Decisions.Add(1, new KeyValuePair<string, object?>("okr.placement.size", source));
                if (source == StoreSize) LogPlacedByStoreSize(_logger, tenant, goals!.Value, silos[k], answers[k]?.Free);
                if (placement is not null) await Reserve(placement, tenant, context.LocalSilo).ConfigureAwait(false);
                return silos[k];
            }
        }

        var (fallback, director) = _default.Value;
        return await director.OnAddActivation(fallback, target, context).ConfigureAwait(false);
    }

    /// <summary>
    /// The silo to place a tenant of <paramref name="goals"/> goals (null: unknown) on, from each silo's answer (null: it
    /// did not answer), or null when no silo has a budget. <paramref name="local"/> (the silo placing it) when the size is
    /// known and fits in its budget left; otherwise the most budget left wins (a silo without a budget has room for
    /// anything), and of equals the local one.
    /// </summary>
    public static int? Choose(IReadOnlyList<SiloCapacity?> answers, int local, int? goals)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (!answers.Any(a => a?.Free is not null)) return null;
        if (goals is { } size && local >= 0 && local < answers.Count && answers[local] is { } here && (here.Free ?? long.MaxValue) >= size) return local;

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

    /// <summary>The tenant's size as a silo last saw it, else as the store counts it, and which it was.</summary>
    private async Task<(int? Goals, string Source)> SizeOf(string tenant, IReadOnlyList<SiloCapacity?> answers)
    {
        if (answers.Max(a => a?.TenantGoals) is { } seen) return (seen, SeenSize);
        if (!answers.Any(a => a?.Free is not null)) return (null, UnknownSize);
        return await _sizes.GoalsOf(tenant).ConfigureAwait(false) is { } stored ? (stored, StoreSize) : (null, UnknownSize);
    }

    /// <summary>Reserves the tenant's goals on the chosen silo (directly when it is this one).</summary>
    private async Task Reserve(PlacementsInFlight.Placement placement, string tenant, SiloAddress local)
    {
        try
        {
            if (placement.Silo.Equals(local)) _residents.Reserve(tenant, placement.Goals);
            else if (!await _capacities.Reserve(placement.Silo, tenant, placement.Goals).ConfigureAwait(false)) LogNotReserved(_logger, tenant, placement.Silo);
        }
        finally
        {
            _inFlight.Confirm(placement);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Placing tenant '{Tenant}', which no silo has held, by the store's count of {Goals} goals: on {Silo}, which had {Free} goals of its budget left")]
    private static partial void LogPlacedByStoreSize(ILogger logger, string tenant, int goals, SiloAddress silo, long? free);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tenant '{Tenant}' was placed on {Silo}, which did not take its reservation in time: placements there count it only once it loads")]
    private static partial void LogNotReserved(ILogger logger, string tenant, SiloAddress silo);
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Capacity;

/// <summary>
/// The ledger of the goals this silo's activated tenants hold, against its budget (<c>okr serve --max-resident-goals</c>).
/// A tenant enters on activation with its size, reports each size a write gives it, and leaves on deactivation. When the
/// silo holds more than its budget, the least recently called tenants are deactivated until the rest fit; they reload
/// from the store on their next call.
/// <para>
/// What is never evicted: the tenant that is entering or growing (it is being called), tenants still activating (such an
/// activation may end without running its deactivation: they may go once activated), and tenants pinned by their
/// webhook subscriptions (their deliverers run in their activation). A tenant that does not fit even when everything
/// else is gone still loads and answers: the budget decides whom to deactivate, it refuses no one
/// (<see cref="AlignmentServiceOptions.MaxGoalsPerTenant"/> is what refuses a tenant's growth). That is logged as a
/// warning, once until the silo is within its budget again.
/// </para>
/// <para>
/// The ledger also remembers the size of tenants that left (the last it saw, for up to <see cref="RememberedSizes"/>
/// tenants), so that placement (<see cref="SizeAwarePlacementDirector"/>) knows how big a tenant is before loading it.
/// </para>
/// <para>
/// And it holds reservations: a tenant placement has sent here, by its expected size, counts against the budget left
/// from the moment it is placed until its load finishes (it enters), fails or migrates (<see cref="Release"/>), or
/// <see cref="ReservationTimeout"/> passes; so that placements made while it loads see the room it will take. A
/// reservation never evicts anyone: the tenant's entry does, if it must.
/// </para>
/// </summary>
public sealed partial class ResidentGoals
{
    /// <summary>Sizes of departed tenants kept for placement; past it they are forgotten (and placed by Orleans' default).</summary>
    public const int RememberedSizes = 100_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Residence> _residents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _departed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Goals, long Since)> _reserved = new(StringComparer.Ordinal);
    private readonly ILogger<ResidentGoals> _logger;
    private readonly TimeProvider _clock;
    private long _total;
    private long _leaving;
    private long _evictions;
    private bool _warned;

    public ResidentGoals(IOptions<AlignmentServiceOptions> options, ILogger<ResidentGoals> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Budget = options.Value.MaxResidentGoals;
        _clock = options.Value.Clock;
        _logger = logger;
    }

    /// <summary>
    /// How long a reservation lasts without its tenant entering or being released: as long as Orleans lets an activation
    /// take (<see cref="Hosting.SiloConfiguration.ActivationTimeout"/>), after which the activation has failed anyway.
    /// </summary>
    public static TimeSpan ReservationTimeout => Hosting.SiloConfiguration.ActivationTimeout;

    /// <summary>The goals the activated tenants may hold together; null: no budget.</summary>
    public int? Budget { get; }

    /// <summary>The goals the activated tenants hold now (those being deactivated included, until they are gone).</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>The tenants deactivated so far to keep within the budget.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>The activated tenants.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _residents.Count;
        }
    }

    /// <summary>The goals reserved for tenants placed here that have not entered yet.</summary>
    public long Reserved
    {
        get
        {
            lock (_lock)
            {
                ForgetExpiredReservations();
                return ReservedGoals();
            }
        }
    }

    /// <summary>The budget left, reservations counted: negative when over it; null with no budget.</summary>
    public long? Free => Budget - Total - Reserved;

    /// <summary>The budget left for <paramref name="tenant"/>: <see cref="Free"/> with its own reservation given back.</summary>
    public long? FreeFor(string tenant)
    {
        if (Budget is not { } budget) return null;
        lock (_lock)
        {
            ForgetExpiredReservations();
            var own = _reserved.TryGetValue(tenant, out var reservation) ? reservation.Goals : 0;
            return budget - Total - ReservedGoals() + own;
        }
    }

    /// <summary>
    /// Reserves <paramref name="goals"/> goals for <paramref name="tenant"/>, placed here and about to load (replacing an
    /// earlier reservation of it); nothing when it is activated here already, or the silo has no budget.
    /// </summary>
    public void Reserve(string tenant, int goals)
    {
        if (Budget is null) return;
        lock (_lock)
        {
            if (_residents.ContainsKey(tenant)) return;
            _reserved[tenant] = (goals, _clock.GetTimestamp());
        }

        LogReserved(_logger, tenant, goals);
    }

    /// <summary>Gives back <paramref name="tenant"/>'s reservation: its load failed, or it migrates elsewhere.</summary>
    public void Release(string tenant)
    {
        lock (_lock) _reserved.Remove(tenant);
    }

    /// <summary>Whether <paramref name="tenant"/> is activated on this silo.</summary>
    public bool Holds(string tenant)
    {
        lock (_lock) return _residents.ContainsKey(tenant);
    }

    /// <summary>The goals of <paramref name="tenant"/> as this silo last saw them (activated here now or before); null if never.</summary>
    public int? SizeOf(string tenant)
    {
        lock (_lock)
        {
            if (_residents.TryGetValue(tenant, out var resident)) return resident.Goals;
            return _departed.TryGetValue(tenant, out var goals) ? goals : null;
        }
    }

    /// <summary>
    /// Enters an activated tenant of <paramref name="goals"/> goals; <paramref name="evict"/> deactivates it when the
    /// budget needs its room (it must be safe to call from any thread). Others may be evicted to make room for it.
    /// </summary>
    public Residence Enter(string tenant, int goals, Action evict)
    {
        var residence = new Residence(this, tenant, goals, evict);
        long total;
        lock (_lock)
        {
            _residents[tenant] = residence;
            _departed.Remove(tenant);
            _reserved.Remove(tenant);
            total = _total += goals;
        }

        LogEntered(_logger, tenant, goals, total);
        MakeRoom(residence);
        return residence;
    }

    internal void Resize(Residence residence, int goals)
    {
        lock (_lock)
        {
            if (residence.Goals == goals || residence.Left) return;
            _total += goals - residence.Goals;
            if (residence.Evicting) _leaving += goals - residence.Goals;
            residence.Goals = goals;
        }

        MakeRoom(residence);
    }

    internal void Activated(Residence residence)
    {
        lock (_lock)
        {
            if (residence.Active || residence.Left) return;
            residence.Active = true;
        }

        // The silo may be over its budget with tenants that were still activating: not this one, whose call is waiting.
        MakeRoom(residence);
    }

    internal void Pin(Residence residence, bool pinned)
    {
        lock (_lock)
        {
            if (residence.Pinned == pinned || residence.Left) return;
            residence.Pinned = pinned;
        }

        // Unpinned, the silo may be over its budget with more to deactivate: not this tenant, whose call is running.
        if (!pinned) MakeRoom(residence);
    }

    internal void Leave(Residence residence)
    {
        long total;
        lock (_lock)
        {
            if (residence.Left) return;
            residence.Left = true;
            total = _total -= residence.Goals;
            if (residence.Evicting) _leaving -= residence.Goals;

            // A newer activation of the same tenant (this one was being deactivated when it was called again) stays.
            if (_residents.TryGetValue(residence.Tenant, out var current) && ReferenceEquals(current, residence))
            {
                _residents.Remove(residence.Tenant);
                if (_departed.Count >= RememberedSizes) _departed.Clear();
                _departed[residence.Tenant] = residence.Goals;
            }

            if (Budget is not { } budget || _total <= budget) _warned = false;
        }

        LogLeft(_logger, residence.Tenant, residence.Goals, total);
    }

    /// <summary>The goals the reservations hold together (under the lock): a few tenants placed here and loading.</summary>
    private long ReservedGoals()
    {
        long goals = 0;
        foreach (var reservation in _reserved.Values) goals += reservation.Goals;
        return goals;
    }

    /// <summary>Removes the reservations older than <see cref="ReservationTimeout"/> (under the lock).</summary>
    private void ForgetExpiredReservations()
    {
        if (_reserved.Count == 0) return;
        foreach (var (tenant, reservation) in _reserved)
        {
            if (_clock.GetElapsedTime(reservation.Since) < ReservationTimeout) continue;
            _reserved.Remove(tenant);
        }
    }

    /// <summary>
    /// When the silo holds more than its budget (counting what is already being deactivated as gone), deactivates the
    /// least recently called tenants that may go until the rest fit; <paramref name="except"/> (being called) stays.
    /// </summary>
    private void MakeRoom(Residence? except)
    {
        if (Budget is not { } budget) return;
        List<Residence>? victims = null;
        long over;
        var warn = false;
        lock (_lock)
        {
            over = _total - _leaving - budget;
            if (over <= 0) return;
            foreach (var candidate in _residents.Values.Where(r => r != except && r.Active && !r.Pinned && !r.Evicting).OrderBy(r => r.LastCall))
            {
                if (over <= 0) break;
                candidate.Evicting = true;
                _leaving += candidate.Goals;
                over -= candidate.Goals;
                (victims ??= []).Add(candidate);
            }

            if (over > 0 && !_warned)
            {
                _warned = true;
                warn = true;
            }
        }

        foreach (var victim in victims ?? [])
        {
            Interlocked.Increment(ref _evictions);
            LogEvicting(_logger, victim.Tenant, victim.Goals, budget);
            victim.Evict();
        }

        if (warn)
        {
            LogOverBudget(_logger, except?.Tenant ?? "(none)", except?.Goals ?? 0, Total, budget);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant '{Tenant}' activated here with {Goals} goals: this silo holds {Total} goals")]
    private static partial void LogEntered(ILogger logger, string tenant, int goals, long total);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reserved {Goals} goals of the budget for tenant '{Tenant}', placed here, until it loads")]
    private static partial void LogReserved(ILogger logger, string tenant, int goals);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant '{Tenant}' deactivated here ({Goals} goals): this silo holds {Total} goals")]
    private static partial void LogLeft(ILogger logger, string tenant, int goals, long total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deactivating tenant '{Tenant}' ({Goals} goals), the least recently called: this silo holds more than --max-resident-goals {Budget}")]
    private static partial void LogEvicting(ILogger logger, string tenant, int goals, int budget);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This silo holds {Total} goals, over --max-resident-goals {Budget}, with nothing left to deactivate but tenants pinned by webhook subscriptions " +
                                                       "and tenant '{Tenant}' ({Goals} goals), which stays loaded: raise the budget or add silos")]
    private static partial void LogOverBudget(ILogger logger, string tenant, int goals, long total, int budget);
}

using System.Diagnostics;

namespace AlignmentEngine.Service.Capacity;

/// <summary>
/// One activated tenant in the silo's <see cref="ResidentGoals"/>: its size, when it was last called (the eviction
/// order), and whether its webhook subscriptions pin it. Its grain calls <see cref="Called"/> on every call (a timestamp
/// written without a lock), <see cref="Resize"/> after a write, and <see cref="Leave"/> on deactivation.
/// </summary>
public sealed class Residence
{
    private readonly ResidentGoals _ledger;
    private long _lastCall = Stopwatch.GetTimestamp();
    private bool _active;

    internal Residence(ResidentGoals ledger, string tenant, int goals, Action evict)
    {
        _ledger = ledger;
        Tenant = tenant;
        Goals = goals;
        Evict = evict;
    }

    public string Tenant { get; }

    /// <summary>The goals it holds (changed under the ledger's lock).</summary>
    internal int Goals { get; set; }

    internal bool Pinned { get; set; }

    /// <summary>
    /// Its activation has finished (it was called): until then it is not evicted, since an activation told to deactivate
    /// while still activating may end without running its deactivation, and would never leave the ledger.
    /// </summary>
    internal bool Active
    {
        get => Volatile.Read(ref _active);
        set => Volatile.Write(ref _active, value);
    }

    /// <summary>Chosen for eviction: its deactivation has been asked for.</summary>
    internal bool Evicting { get; set; }

    internal bool Left { get; set; }

    internal Action Evict { get; }

    internal long LastCall => Volatile.Read(ref _lastCall);

    /// <summary>
    /// A call reached the tenant: it is now the most recently called. The first call also tells that its activation has
    /// finished (calls run only on a finished activation): from then on it may be evicted, and others may be, to make room.
    /// </summary>
    public void Called()
    {
        Volatile.Write(ref _lastCall, Stopwatch.GetTimestamp());
        if (!Volatile.Read(ref _active)) _ledger.Activated(this);
    }

    /// <summary>The tenant now holds <paramref name="goals"/> goals (others may be evicted to make room).</summary>
    public void Resize(int goals) => _ledger.Resize(this, goals);

    /// <summary>Whether the tenant must stay activated whatever the budget (it has webhook subscriptions).</summary>
    public void Pin(bool pinned) => _ledger.Pin(this, pinned);

    /// <summary>The tenant was deactivated: its goals no longer count.</summary>
    public void Leave() => _ledger.Leave(this);
}

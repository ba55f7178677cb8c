namespace AlignmentEngine.Service.Capacity;

/// <summary>
/// The placements this silo's director decided whose reservation the chosen silo's answer may not show yet. A
/// placement asks every silo for its budget left, then decides; a reservation reaches the chosen silo only after that.
/// Two placements deciding here at the same moment would otherwise both see the room the first one takes. So each
/// decision is made under one lock, from answers from which the reservations this silo made are taken off when the
/// answer may predate them: those not yet confirmed by the chosen silo, and those confirmed after the placement began
/// asking. (Placements decided at the same moment on two different silos still do not see each other until the
/// reservations land, a few milliseconds; what keeps a silo within its budget then is eviction.)
/// </summary>
internal sealed class PlacementsInFlight(TimeProvider clock)
{
    /// <summary>How long a confirmed reservation is still taken off answers: the longest a placement may spend between asking and deciding.</summary>
    public static readonly TimeSpan KeptAfterConfirmation = CapacityClient.AskTimeout + StoredTenantSizes.Wait + TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly List<Placement> _placements = [];

    /// <summary>
    /// Chooses among <paramref name="silos"/> for a tenant of <paramref name="goals"/> goals (null: unknown) from their
    /// <paramref name="answers"/>, asked at <paramref name="askedAt"/> (a timestamp of the clock), less what this silo has
    /// reserved since; records the choice when the size is known. Null when no silo has a budget.
    /// </summary>
    public (int? Chosen, Placement? Placement) Decide(IReadOnlyList<SiloAddress> silos, IReadOnlyList<SiloCapacity?> answers, int local, int? goals, long askedAt)
    {
        ArgumentNullException.ThrowIfNull(silos);
        ArgumentNullException.ThrowIfNull(answers);
        lock (_lock)
        {
            _placements.RemoveAll(p => p.ConfirmedAt is { } at && clock.GetElapsedTime(at) > KeptAfterConfirmation);
            var adjusted = answers.ToArray();
            foreach (var placement in _placements.Where(p => p.ConfirmedAt is not { } at || at > askedAt))
            {
                var k = IndexOf(silos, placement.Silo);
                if (k >= 0 && adjusted[k] is { Free: { } free } answer) adjusted[k] = answer with { Free = free - placement.Goals };
            }

            if (SizeAwarePlacementDirector.Choose(adjusted, local, goals) is not { } chosen) return (null, null);
            if (goals is not { } size) return (chosen, null);
            var made = new Placement(silos[chosen], size);
            _placements.Add(made);
            return (chosen, made);
        }
    }

    /// <summary>The chosen silo has the reservation (or did not answer: it is kept here as long, to be safe).</summary>
    public void Confirm(Placement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        lock (_lock) placement.ConfirmedAt = clock.GetTimestamp();
    }

    private static int IndexOf(IReadOnlyList<SiloAddress> silos, SiloAddress silo)
    {
        for (var k = 0; k < silos.Count; k++)
        {
            if (silos[k].Equals(silo)) return k;
        }

        return -1;
    }

    /// <summary>One decided placement: the silo and the goals reserved there.</summary>
    internal sealed class Placement(SiloAddress silo, int goals)
    {
        public SiloAddress Silo { get; } = silo;

        public int Goals { get; } = goals;

        /// <summary>When the chosen silo took the reservation; null until then.</summary>
        public long? ConfirmedAt { get; set; }
    }
}

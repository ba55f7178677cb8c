using System.Globalization;
using Orleans.Configuration;

namespace AlignmentEngine.Service.Cluster;

/// <summary>
/// How a cluster of <c>okr serve</c> silos finds that one of them died, so that its tenants activate on another.
/// Every silo probes its peers; a peer that misses <see cref="MissedProbesLimit"/> probes in a row is suspected, and
/// <see cref="VotesForDeath"/> suspicions from different silos declare it dead in the membership table; the survivors
/// then stop routing to it, and its tenants' next calls activate them elsewhere (loaded from the store).
/// <para>
/// The trade-off: shorter timeouts and fewer missed probes bring a dead silo's tenants back sooner, but a silo that is
/// alive and only slow to answer (a long garbage collection of a large tenant, a saturated machine, a network hiccup)
/// is declared dead too: it then stops itself, and its tenants reload elsewhere for nothing. Orleans softens this on
/// its own (it stretches the probe timeout of a peer that answers slowly and while this silo is itself degraded, and
/// it does not vote against a peer whose connection still delivers messages), but on machines that pause for seconds,
/// raise <see cref="ProbeTimeout"/> and <see cref="MissedProbesLimit"/>. Orleans' own defaults are 5 s and 3.
/// </para>
/// </summary>
public sealed record FailureDetection
{
    /// <summary>
    /// The initial time a probe may take before it counts as missed; Orleans adapts it per peer between half and
    /// four times this value, from the answers it sees, and probes about once per timeout.
    /// </summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes in a row after which a silo suspects its peer (casts its vote).</summary>
    public int MissedProbesLimit { get; init; } = 2;

    /// <summary>
    /// Suspicions from different silos that declare a silo dead. Orleans asks for no more than half the active silos
    /// (rounded up), so a cluster of two can still declare its other member dead.
    /// </summary>
    public int VotesForDeath { get; init; } = 2;

    /// <summary>
    /// How often each silo writes its heartbeat (I-am-alive time) to the membership table: what operators read to see
    /// which silos live, and what marks a silo whose row stays active but whose heartbeat stopped as stale.
    /// </summary>
    public TimeSpan IAmAlivePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the rows of silos that are no longer active are kept before a silo deletes them.</summary>
    public TimeSpan DefunctSiloExpiration { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Each value out of range: the setting (a property's name) and what is wrong with it; empty when all are usable.</summary>
    public IReadOnlyList<(string Setting, string Problem)> Problems()
    {
        var problems = new List<(string, string)>();
        CheckDuration(problems, nameof(ProbeTimeout), ProbeTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        CheckCount(problems, nameof(MissedProbesLimit), MissedProbesLimit);
        CheckCount(problems, nameof(VotesForDeath), VotesForDeath);
        CheckDuration(problems, nameof(IAmAlivePeriod), IAmAlivePeriod, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        CheckDuration(problems, nameof(DefunctSiloExpiration), DefunctSiloExpiration, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365));
        return problems;
    }

    /// <summary>Sets Orleans' membership options from these values.</summary>
    public void ApplyTo(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = ProbeTimeout;
        options.NumMissedProbesLimit = MissedProbesLimit;
        options.NumVotesForDeathDeclaration = VotesForDeath;
        options.IAmAliveTablePublishTimeout = IAmAlivePeriod;
        options.DefunctSiloExpiration = DefunctSiloExpiration;
    }

    private static void CheckDuration(List<(string, string)> problems, string setting, TimeSpan value, TimeSpan least, TimeSpan most)
    {
        if (value < least || value > most)
        {
            problems.Add((setting, string.Create(CultureInfo.InvariantCulture,
                $"must be from {least.TotalSeconds} to {most.TotalSeconds} seconds, not {value.TotalSeconds}")));
        }
    }

    private static void CheckCount(List<(string, string)> problems, string setting, int value)
    {
        if (value is < 1 or > 10) problems.Add((setting, string.Create(CultureInfo.InvariantCulture, $"must be from 1 to 10, not {value}")));
    }
}

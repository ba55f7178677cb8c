using Microsoft.Extensions.Logging;

namespace AlignmentEngine.Service.Capacity;

/// <summary>
/// Whether a tenant activating on this silo belongs on another. Orleans places a grain only when the calling silo does
/// not know where it was: a silo that called it before sends the next call to where it used to be, and that silo
/// activates it again without asking placement. After an eviction that is the silo that had no room for it. So a silo
/// over its budget for the tenant (as big as it last saw it) asks what placement would choose
/// (<see cref="SizeAwarePlacementDirector.Choose"/>), and when that is another silo the grain migrates there before it
/// loads anything.
/// </summary>
internal sealed partial class MisplacedTenants(
    ResidentGoals residents, CapacityClient capacities, IClusterMembershipService membership, ILocalSiloDetails local, ILogger<MisplacedTenants> logger)
{
    public async Task<bool> BelongsElsewhere(string tenant)
    {
        // Only a silo that knows the tenant's size and has no room for it asks the others: the common case costs nothing.
        if (residents.SizeOf(tenant) is not { } goals || residents.FreeFor(tenant) is not { } free || free >= goals) return false;
        var silos = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToArray();
        var answers = await capacities.Ask(silos, tenant).ConfigureAwait(true);
        if (SizeAwarePlacementDirector.Choose(answers, Array.IndexOf(silos, local.SiloAddress), goals) is not { } chosen || silos[chosen].Equals(local.SiloAddress)) return false;
        LogMigrating(logger, tenant, goals, free, silos[chosen]);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant '{Tenant}' ({Goals} goals) was called here, where {Free} goals of the budget are left: migrating it to {Silo} before loading it")]
    private static partial void LogMigrating(ILogger logger, string tenant, int goals, long free, SiloAddress silo);
}

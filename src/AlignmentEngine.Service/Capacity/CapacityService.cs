using Microsoft.Extensions.Logging;

namespace AlignmentEngine.Service.Capacity;

/// <summary>
/// Every silo's answer to placement about its memory budget (an Orleans grain service: one per silo, addressed by the
/// silo): read from its <see cref="ResidentGoals"/> when asked, so what placement sees is never older than the call. The
/// budget left counts the reservations of tenants placed here that are still loading, except the asking tenant's own.
/// </summary>
internal sealed class CapacityService(GrainId id, Silo silo, ILoggerFactory loggerFactory, ResidentGoals residents)
    : GrainService(id, silo, loggerFactory), ICapacityService
{
    public Task<SiloCapacity> Capacity(string tenant) => Task.FromResult(new SiloCapacity(residents.FreeFor(tenant), residents.SizeOf(tenant)));

    public Task Reserve(string tenant, int goals)
    {
        residents.Reserve(tenant, goals);
        return Task.CompletedTask;
    }
}

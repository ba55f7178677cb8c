using Orleans.Services;

namespace AlignmentEngine.Service.Capacity;

/// <summary>The capacity of one silo, asked by the placement director of any silo (<see cref="CapacityService"/>).</summary>
public interface ICapacityService : IGrainService
{
    /// <summary>This silo's budget left, and what it knows of <paramref name="tenant"/>'s size.</summary>
    Task<SiloCapacity> Capacity(string tenant);

    /// <summary>Reserves <paramref name="goals"/> of this silo's budget for <paramref name="tenant"/>, placed here, until it loads.</summary>
    Task Reserve(string tenant, int goals);
}

using Orleans.Runtime.Services;
using Orleans.Services;

namespace AlignmentEngine.Service.Capacity;

/// <summary>Reaches the <see cref="CapacityService"/> of a given silo.</summary>
internal sealed class CapacityClient(IServiceProvider services) : GrainServiceClient<ICapacityService>(services), IGrainServiceClient<ICapacityService>
{
    public ICapacityService On(SiloAddress silo) => GetGrainService(silo);
}

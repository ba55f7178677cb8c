using Orleans.Runtime.Services;
using Orleans.Services;

namespace AlignmentEngine.Service.Capacity;

/// <summary>Reaches the <see cref="CapacityService"/> of a given silo.</summary>
internal sealed class CapacityClient(IServiceProvider services) : GrainServiceClient<ICapacityService>(services), IGrainServiceClient<ICapacityService>
{
    /// <summary>How long a silo may take to tell its capacity: longer, and it is not chosen (it may be dying).</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Each silo's capacity and what it knows of <paramref name="tenant"/>, in the order given (null: no answer in time).</summary>
    public Task<SiloCapacity?[]> Ask(IEnumerable<SiloAddress> silos, string tenant) => Task.WhenAll(silos.Select(silo => Ask(silo, tenant)));

    /// <summary>Reserves <paramref name="goals"/> of <paramref name="silo"/>'s budget for <paramref name="tenant"/>; false when it did not answer in time.</summary>
    public async Task<bool> Reserve(SiloAddress silo, string tenant, int goals)
    {
        try
        {
            await GetGrainService(silo).Reserve(tenant, goals).WaitAsync(AskTimeout).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<SiloCapacity?> Ask(SiloAddress silo, string tenant)
    {
        try
        {
            return await GetGrainService(silo).Capacity(tenant).WaitAsync(AskTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or OperationCanceledException)
        {
            return null;
        }
    }
}

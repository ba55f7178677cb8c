using Orleans.Concurrency;

namespace AlignmentEngine.Grains;

/// <summary>
/// One tenant, keyed by its id: the silo that activated it holds the tenant's graph, loaded from the store on
/// activation, and answers for it whichever silo's front took the call. Reads run side by side; writes (and
/// simulations, which change the graph and restore it) run one at a time. The store stays the truth: a write commits
/// there before it is acknowledged, under the store's version guard, since Orleans does not promise one activation
/// per tenant while silos fail or the directory changes.
/// </summary>
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>A call that only reads the tenant (its graph, or its webhook subscriptions).</summary>
    [ReadOnly]
    Task<TenantReply> Read(TenantCall call);

    /// <summary>A call that changes the tenant (or simulates a change on its graph).</summary>
    Task<TenantReply> Write(TenantCall call);

    /// <summary>Loads a tree into the tenant at start (a seed file); a tenant the store holds is kept unless the request replaces it.</summary>
    Task<SeedReply> Seed(SeedRequest request);

    /// <summary>The tenant's committed version; calling it activates the tenant (and so its webhook deliverers).</summary>
    [AlwaysInterleave]
    Task<long> Version();

    /// <summary>
    /// The committed changes after a version, waiting up to <see cref="WatchRequest.Wait"/> for one when there is none
    /// yet. Interleaved with everything: it only waits, and reads under the tenant's own lock.
    /// </summary>
    [AlwaysInterleave]
    Task<WatchBatch> Watch(WatchRequest request);
}

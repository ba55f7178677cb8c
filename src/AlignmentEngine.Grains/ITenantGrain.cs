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

    /// <summary>
    /// Takes one piece of an import (a write, like the import it makes): the pieces before the last are kept aside and
    /// change nothing; the last one imports them all as one tree and answers the import's reply.
    /// </summary>
    Task<TenantReply> Import(ImportPiece piece);

    /// <summary>Forgets the pieces of an import that will not be finished (its client's stream failed).</summary>
    [AlwaysInterleave]
    Task DiscardImport(Guid import);

    /// <summary>Loads a tree into the tenant at start (a seed file); a tenant the store holds is kept unless the request replaces it.</summary>
    Task<SeedReply> Seed(SeedRequest request);

    /// <summary>The tenant's committed version; calling it activates the tenant (and so its webhook deliverers).</summary>
    [AlwaysInterleave]
    Task<long> Version();

    /// <summary>
    /// Subscribes a watcher to the changes the tenant commits from now on, or renews its subscription, and answers the
    /// tenant's version. Interleaved with everything: a watch opens, and renews, without waiting behind a long write.
    /// </summary>
    [AlwaysInterleave]
    Task<long> Subscribe(WatchSubscription subscription);

    /// <summary>Ends a watcher's subscription (it is forgotten anyway when its lease runs out).</summary>
    [AlwaysInterleave]
    Task Unsubscribe(ITenantWatcher watcher);

    /// <summary>
    /// The committed changes after a version, for a watcher that missed some: from the tenant's memory, or replayed from
    /// the store's change log. Interleaved with everything: it reads under the tenant's own lock.
    /// </summary>
    [AlwaysInterleave]
    Task<WatchBatch> Changes(WatchRequest request);
}

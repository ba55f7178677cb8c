using AlignmentEngine.Grains;
using AlignmentEngine.Service.Capacity;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// The grain of one tenant. Activating it loads the tenant from the store into this silo's <see cref="TenantDirectory"/>
/// and starts its webhook deliverers; deactivating it stops them and forgets the tenant here. Its calls run the service's
/// handlers (<see cref="TenantCalls"/>) on that tenant: Orleans runs writes one at a time and lets reads
/// (<c>[ReadOnly]</c>) interleave with each other, and the tenant's own lock keeps a read from seeing a write half done.
/// A tenant with webhook subscriptions stays activated (idle collection would stop its deliveries). After each write
/// it tells the fronts' watchers subscribed to it what was committed (<see cref="TenantWatchers"/>). An import comes in
/// pieces, kept aside until the last one (<see cref="ImportStaging"/>), and goes with the activation if it never finishes.
/// Loads wait for one of the silo's load slots (<see cref="TenantLoads"/>), and the silo's memory budget
/// (<see cref="ResidentGoals"/>) knows each activated tenant's size and when it was last called, and deactivates the
/// least recently called when over.
/// </summary>
[SizeAwarePlacement]
internal sealed class TenantGrain(TenantDirectory directory, TenantCalls calls, TenantLoads loads, ResidentGoals residents, MisplacedTenants misplaced)
    : Grain, ITenantGrain
{
    private readonly ImportStaging _imports = new();
    private Tenant _tenant = null!;
    private Residence _residence = null!;
    private TenantWatchers _watchers = null!;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await misplaced.BelongsElsewhere(Id).ConfigureAwait(true))
        {
            // Its calls are forwarded to where placement puts it, which loads it (and reserves its room there).
            residents.Release(Id);
            MigrateOnIdle();
            return;
        }

        try
        {
            _tenant = await loads.Run(Id, () => directory.ActivateAsync(Id), cancellationToken).ConfigureAwait(true);
        }
        catch
        {
            // The room placement reserved for it is free again; its next call is placed afresh.
            residents.Release(Id);
            throw;
        }

        // Entering takes the place of its reservation.
        _residence = residents.Enter(Id, _tenant.Size.Goals, Evict);
        _watchers = new TenantWatchers(_tenant.Version);
        try
        {
            // Events committed before a stop, a crash or a move are still in the outbox: their delivery resumes now.
            await _tenant.Webhooks.StartAsync();
            KeepAliveWhileSubscribed();
        }
        catch
        {
            // A failed activation may never run its deactivation: what it took is given back here (each step of
            // Forget is idempotent, should the deactivation run too).
            Forget();
            throw;
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Migrated before it loaded anything (MisplacedTenants): nothing to stop.
        if (_tenant is null) return Task.CompletedTask;
        Forget();
        return Task.CompletedTask;
    }

    public Task<TenantReply> Read(TenantCall call)
    {
        _residence.Called();
        return calls.RunAsync(Id, call).AsTask();
    }

    public async Task<TenantReply> Write(TenantCall call)
    {
        _residence.Called();
        var reply = await calls.RunAsync(Id, call);
        _residence.Resize(_tenant.Size.Goals);
        if (TenantMethods.ChangesSubscriptions(call.Method)) KeepAliveWhileSubscribed();
        _watchers.Notify(_tenant);
        return reply;
    }

    public async Task<TenantReply> Import(ImportPiece piece)
    {
        _residence.Called();
        var reply = await calls.ImportAsync(Id, _imports, piece);
        _residence.Resize(_tenant.Size.Goals);
        _watchers.Notify(_tenant);
        return reply;
    }

    public Task DiscardImport(Guid import)
    {
        _imports.Discard(import);
        return Task.CompletedTask;
    }

    public async Task<SeedReply> Seed(SeedRequest request)
    {
        _residence.Called();
        try
        {
            return await calls.SeedAsync(Id, request);
        }
        finally
        {
            _residence.Resize(_tenant.Size.Goals);
            _watchers.Notify(_tenant);
        }
    }

    public Task<long> Version()
    {
        _residence.Called();
        return Task.FromResult(_tenant.Version);
    }

    /// <summary>A watch's subscription and each renewal count as a call: a watched tenant is in use, not idle.</summary>
    public Task<long> Subscribe(WatchSubscription subscription)
    {
        _residence.Called();
        _watchers.Subscribe(subscription);
        return Task.FromResult(_tenant.Version);
    }

    public Task Unsubscribe(ITenantWatcher watcher)
    {
        _watchers.Unsubscribe(watcher);
        return Task.CompletedTask;
    }

    public Task<WatchBatch> Changes(WatchRequest request) => calls.ChangesAsync(_tenant, request);

    /// <summary>A tenant with subscriptions is kept by idle collection and by the memory budget alike.</summary>
    private void KeepAliveWhileSubscribed()
    {
        DelayDeactivation(_tenant.Webhooks.Any ? Timeout.InfiniteTimeSpan : TimeSpan.Zero);
        _residence.Pin(_tenant.Webhooks.Any);
    }

    /// <summary>Stops the tenant's deliverers and forgets it on this silo: its directory entry and its goals in the budget.</summary>
    private void Forget()
    {
        _tenant.Webhooks.Stop();
        directory.Deactivate(_tenant);
        _residence.Leave();
    }

    /// <summary>Deactivates this tenant for the budget's sake (from any thread): after the calls it is running, and reloaded on the next.</summary>
    private void Evict() => GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.HighMemoryPressure, "over the silo's --max-resident-goals, least recently called"));
}

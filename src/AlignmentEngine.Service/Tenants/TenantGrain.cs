using AlignmentEngine.Grains;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// The grain of one tenant. Activating it loads the tenant from the store into this silo's <see cref="TenantDirectory"/>
/// and starts its webhook deliverers; deactivating it stops them and forgets the tenant here. Its calls run the service's
/// handlers (<see cref="TenantCalls"/>) on that tenant: Orleans runs writes one at a time and lets reads
/// (<c>[ReadOnly]</c>) interleave with each other, and the tenant's own lock keeps a read from seeing a write half done.
/// A tenant with webhook subscriptions stays activated (idle collection would stop its deliveries). After each write
/// it tells the fronts' watchers subscribed to it what was committed (<see cref="TenantWatchers"/>). An import comes in
/// pieces, kept aside until the last one (<see cref="ImportStaging"/>), and goes with the activation if it never finishes.
/// </summary>
internal sealed class TenantGrain(TenantDirectory directory, TenantCalls calls) : Grain, ITenantGrain
{
    private readonly ImportStaging _imports = new();
    private Tenant _tenant = null!;
    private TenantWatchers _watchers = null!;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tenant = await directory.ActivateAsync(Id);
        _watchers = new TenantWatchers(_tenant.Version);

        // Events committed before a stop, a crash or a move are still in the outbox: their delivery resumes now.
        await _tenant.Webhooks.StartAsync();
        KeepAliveWhileSubscribed();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _tenant.Webhooks.Stop();
        directory.Deactivate(_tenant);
        return Task.CompletedTask;
    }

    public Task<TenantReply> Read(TenantCall call) => calls.RunAsync(Id, call).AsTask();

    public async Task<TenantReply> Write(TenantCall call)
    {
        var reply = await calls.RunAsync(Id, call);
        if (TenantMethods.ChangesSubscriptions(call.Method)) KeepAliveWhileSubscribed();
        _watchers.Notify(_tenant);
        return reply;
    }

    public async Task<TenantReply> Import(ImportPiece piece)
    {
        var reply = await calls.ImportAsync(Id, _imports, piece);
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
        try
        {
            return await calls.SeedAsync(Id, request);
        }
        finally
        {
            _watchers.Notify(_tenant);
        }
    }

    public Task<long> Version() => Task.FromResult(_tenant.Version);

    public Task<long> Subscribe(WatchSubscription subscription)
    {
        _watchers.Subscribe(subscription);
        return Task.FromResult(_tenant.Version);
    }

    public Task Unsubscribe(ITenantWatcher watcher)
    {
        _watchers.Unsubscribe(watcher);
        return Task.CompletedTask;
    }

    public Task<WatchBatch> Changes(WatchRequest request) => calls.ChangesAsync(_tenant, request);

    private void KeepAliveWhileSubscribed() => DelayDeactivation(_tenant.Webhooks.Any ? Timeout.InfiniteTimeSpan : TimeSpan.Zero);
}

using System.Collections.Concurrent;
using AlignmentEngine.Core;
using AlignmentEngine.Grains;
using Grpc.Core;
using AlignmentEngine.Service.Telemetry;
using AlignmentEngine.Service.Webhooks;
using AlignmentEngine.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// The tenants whose grains this silo has activated (<see cref="TenantGrain"/>): each loaded from the store when its
/// grain activates and forgotten when it deactivates. Only the grain's own calls use a tenant here. A tenant comes into
/// being with its first committed write; reads of a tenant that has none (version 0) answer NOT_FOUND. Nothing here is
/// shared between tenants but this directory.
/// </summary>
public sealed class TenantDirectory
{
    private readonly ConcurrentDictionary<string, Tenant> _tenants = new(StringComparer.Ordinal);
    private readonly Lazy<Task> _migrated;
    private readonly TenantContext _context;

    public TenantDirectory(IAlignmentStore store, StoreHealth health, IOptions<AlignmentServiceOptions> options, WebhookSender webhooks, IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lifetime);
        var webhookContext = new WebhookContext(store.Webhooks, webhooks, options.Value, lifetime.ApplicationStopping);
        _context = new TenantContext(store, health, options.Value.Clock, options.Value.WatchLogCapacity, webhookContext);
        _migrated = new Lazy<Task>(() => store.MigrateAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Migrates the store, once; every other member waits for it (a failed migration fails each of them).</summary>
    public Task EnsureMigratedAsync() => _migrated.Value;

    /// <summary>The tenants activated here (metrics read them on their own thread).</summary>
    internal IEnumerable<Tenant> Loaded => _tenants.Values;

    /// <summary>
    /// Loads <paramref name="tenant"/> from the store (empty, at version 0, when the store has none of it): its grain
    /// activates here.
    /// </summary>
    internal async Task<Tenant> ActivateAsync(string tenant)
    {
        await EnsureMigratedAsync().ConfigureAwait(false);
        Tenant loaded;
        try
        {
            loaded = await LoadAsync(tenant).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            _context.Health.Failed();
            throw ServiceErrors.Unavailable($"tenant '{ServiceErrors.Echo(tenant)}' could not be loaded", e);
        }

        _tenants[tenant] = loaded;
        return loaded;
    }

    /// <summary>Forgets <paramref name="tenant"/> (its grain deactivates here); the store keeps what it committed.</summary>
    internal void Deactivate(Tenant tenant) => _tenants.TryRemove(new KeyValuePair<string, Tenant>(tenant.Id, tenant));

    internal Tenant Get(string tenant) =>
        _tenants.TryGetValue(tenant, out var t) && t.Version > 0 ? t : throw ServiceErrors.TenantHasNoGoals(tenant);

    internal Tenant GetOrCreate(string tenant) => _tenants.GetOrAdd(tenant, id => Tenant.Empty(id, _context));

    /// <summary>
    /// Loads a tenant from a tree (a seed file at start). A tenant the store already holds is kept as it is,
    /// unless <paramref name="replace"/> asks for the tree to replace it (as an import would, as a new version).
    /// An invalid tree loads nothing and its errors are returned.
    /// </summary>
    internal async Task<SeedResult> SeedAsync(string tenant, GoalTree tree, bool replace)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var build = Recomputation.BuildGraph(tenant, tree);
        if (build.Graph is null) return new SeedResult(SeedOutcome.Invalid, build.Errors, 0);
        var target = GetOrCreate(tenant);
        var existing = target.Version;
        if (existing > 0 && !replace) return new SeedResult(SeedOutcome.KeptExisting, [], existing);
        try
        {
            var asOf = tree.AsOf ?? DateOnly.FromDateTime(_context.Clock.GetUtcNow().UtcDateTime);
            var imported = await target.ReplaceAsync(existing, build.Graph, findings: null, asOf, key: null, next => new Api.V1.ImportTreeResponse { Version = next }).ConfigureAwait(false);
            var version = imported.Version;
            return new SeedResult(existing > 0 ? SeedOutcome.Replaced : SeedOutcome.Loaded, [], version);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Aborted)
        {
            // Another process wrote it first: theirs stands.
            return new SeedResult(SeedOutcome.KeptExisting, [], target.Version);
        }
    }

    private async Task<Tenant> LoadAsync(string tenant)
    {
        if (await _context.Store.LoadTenantAsync(tenant).ConfigureAwait(false) is not { } stored) return Tenant.Empty(tenant, _context);
        var build = Recomputation.BuildGraph(stored.Tenant, stored.Tree);
        var graph = build.Graph ?? throw new InvalidOperationException(
            $"The stored tree of tenant '{stored.Tenant}' does not build: {string.Join("; ", build.Errors)}");
        return new Tenant(stored.Tenant, graph, stored.Version, stored.CommittedAt, _context);
    }
}

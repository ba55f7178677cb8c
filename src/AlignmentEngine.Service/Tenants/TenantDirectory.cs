using System.Collections.Concurrent;
using AlignmentEngine.Core;
using Grpc.Core;
using AlignmentEngine.Service.Telemetry;
using AlignmentEngine.Service.Webhooks;
using AlignmentEngine.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// The tenants this process serves, loaded from the store at start (each in bulk, then built once). A tenant
/// comes into being with its first write; reads of a tenant that has none answer NOT_FOUND. Nothing here is
/// shared between tenants but this directory.
/// </summary>
public sealed class TenantDirectory
{
    private readonly ConcurrentDictionary<string, Tenant> _tenants = new(StringComparer.Ordinal);
    private readonly Lazy<bool> _loaded;
    private readonly TenantContext _context;

    public TenantDirectory(IAlignmentStore store, StoreHealth health, IOptions<AlignmentServiceOptions> options, WebhookSender webhooks, IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lifetime);
        var webhookContext = new WebhookContext(store.Webhooks, webhooks, options.Value, lifetime.ApplicationStopping);
        _context = new TenantContext(store, health, options.Value.Clock, options.Value.WatchLogCapacity, webhookContext);
        _loaded = new Lazy<bool>(LoadAll, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Migrates the store and loads every tenant, once; every other member waits for it.</summary>
    public void EnsureLoaded() => _ = _loaded.Value;

    /// <summary>The tenants loaded and their versions.</summary>
    public IReadOnlyDictionary<string, long> Versions
    {
        get
        {
            EnsureLoaded();
            return _tenants.ToDictionary(t => t.Key, t => t.Value.Version, StringComparer.Ordinal);
        }
    }

    /// <summary>The tenants loaded so far, without waiting for the load (metrics read them on their own thread).</summary>
    internal IEnumerable<Tenant> Loaded => _tenants.Values;

    internal Tenant Get(string tenant)
    {
        EnsureLoaded();
        return _tenants.TryGetValue(tenant, out var t) ? t : throw ServiceErrors.TenantHasNoGoals(tenant);
    }

    internal Tenant GetOrCreate(string tenant)
    {
        EnsureLoaded();
        return _tenants.GetOrAdd(tenant, id => Tenant.Empty(id, _context));
    }

    /// <summary>
    /// Loads a tenant from a tree (a seed file at start). A tenant the store already holds is kept as it is,
    /// unless <paramref name="replace"/> asks for the tree to replace it (as an import would, as a new version).
    /// An invalid tree loads nothing and its errors are returned.
    /// </summary>
    public SeedResult Seed(string tenant, GoalTree tree, bool replace = false)
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
            var version = target.Replace(existing, build.Graph, findings: null, asOf, key: null, next => new Api.V1.ImportTreeResponse { Version = next }).Version;
            return new SeedResult(existing > 0 ? SeedOutcome.Replaced : SeedOutcome.Loaded, [], version);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Aborted)
        {
            // Another process wrote it first: theirs stands.
            return new SeedResult(SeedOutcome.KeptExisting, [], target.Version);
        }
    }

    /// <summary>Takes in what other processes committed: every tenant whose stored version is ahead of ours.</summary>
    internal void Follow()
    {
        EnsureLoaded();
        foreach (var stored in _context.Store.ListTenants())
        {
            var tenant = GetOrCreate(stored.Tenant);
            if (stored.Version <= tenant.Version) continue;
            using var span = ServiceSpans.Background("okr.catch_up", stored.Tenant);
            tenant.CatchUp();
        }
    }

    private bool LoadAll()
    {
        _context.Store.Migrate();
        foreach (var stored in _context.Store.ListTenants())
        {
            if (_context.Store.LoadTenant(stored.Tenant) is not { } loaded) continue;
            var build = Recomputation.BuildGraph(loaded.Tenant, loaded.Tree);
            var graph = build.Graph ?? throw new InvalidOperationException(
                $"The stored tree of tenant '{loaded.Tenant}' does not build: {string.Join("; ", build.Errors)}");
            _tenants[loaded.Tenant] = new Tenant(loaded.Tenant, graph, loaded.Version, loaded.CommittedAt, _context);
        }

        // Events committed before a stop (or a crash) are still in the outbox: their delivery resumes now.
        foreach (var tenant in _tenants.Values) tenant.Webhooks.Start();

        return true;
    }
}

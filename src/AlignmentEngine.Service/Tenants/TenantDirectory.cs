using System.Collections.Concurrent;
using AlignmentEngine.Core;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// The tenants this process serves. A tenant comes into being with its first write; reads of a tenant that
/// has none answer NOT_FOUND. Nothing here is shared between tenants but this directory.
/// </summary>
public sealed class TenantDirectory(IOptions<AlignmentServiceOptions> options)
{
    private static readonly GoalTree EmptyTree = new();
    private readonly ConcurrentDictionary<string, Tenant> _tenants = new(StringComparer.Ordinal);

    internal Tenant Get(string tenant) =>
        _tenants.TryGetValue(tenant, out var t) ? t : throw ServiceErrors.NotFound($"tenant '{tenant}' has no goals");

    internal Tenant GetOrCreate(string tenant) =>
        _tenants.GetOrAdd(tenant, id => new Tenant(id, AlignmentGraph.Build(EmptyTree).Graph!, options.Value.WatchLogCapacity));

    /// <summary>Loads a tenant from a tree (a seed file at start); returns the tree's errors, if any, and loads nothing then.</summary>
    public IReadOnlyList<Finding> Seed(string tenant, GoalTree tree)
    {
        var build = AlignmentGraph.Build(tree);
        if (build.Graph is null) return build.Errors;
        GetOrCreate(tenant).Replace(null, build.Graph);
        return [];
    }
}

using AlignmentEngine.Api.V1;
using AlignmentEngine.Service.Mapping;
using Google.Protobuf;

namespace AlignmentEngine.Service.Tenants;

/// <summary>A tenant's committed change as a watcher of a subtree receives it: a <c>WatchRollupsResponse</c>.</summary>
internal static class WatchEvents
{
    /// <summary>The part of <paramref name="change"/> about goals under <paramref name="root"/> (all when null), encoded.</summary>
    public static byte[] Encode(Tenant tenant, TenantEvent change, string? root) => Cut(tenant, change, root).ToByteArray();

    /// <summary>The part of a change about goals in the watched subtree (as the tree stands now).</summary>
    private static WatchRollupsResponse Cut(Tenant tenant, TenantEvent change, string? root)
    {
        var response = new WatchRollupsResponse { Version = change.Version, TreeReplaced = change.TreeReplaced };

        // Lists cut at the default as ApplyChanges cuts them (a watcher cannot ask for more: truncated tells it to read
        // what it needs), so one priority shift at the top of a large tenant never outgrows a client's message limit.
        if (root is null)
        {
            response.Outcome = ToProto.Outcome(change.Goals, change.Appeared, change.Disappeared, ToProto.DefaultMaxListed);
            return response;
        }

        response.Outcome = tenant.Read((graph, _) => ToProto.Outcome(
            [.. change.Goals.Where(g => graph.IsWithin(g.Id, root))],
            [.. change.Appeared.Where(f => graph.IsWithin(f.Goal, root))],
            [.. change.Disappeared.Where(f => graph.IsWithin(f.Goal, root))],
            ToProto.DefaultMaxListed));
        return response;
    }
}

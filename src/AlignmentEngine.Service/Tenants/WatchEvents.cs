using AlignmentEngine.Api.V1;
using AlignmentEngine.Service.Mapping;
using Google.Protobuf;

namespace AlignmentEngine.Service.Tenants;

/// <summary>A tenant's committed change as a watcher of a subtree receives it: a <c>WatchRollupsResponse</c>.</summary>
internal static class WatchEvents
{
    /// <summary>The part of <paramref name="change"/> about goals under <paramref name="root"/> (all when null), encoded.</summary>
    public static byte[] Encode(Tenant tenant, TenantEvent change, string? root) =>
        Response(change, root is null ? Whole(change) : tenant.Read((graph, _) => Within(graph, change, root))).ToByteArray();

    /// <summary>
    /// As <see cref="Encode"/>, for a call that interleaves with the tenant's writes (a replay asked of the grain): it
    /// waits for a write's commit without blocking the grain.
    /// </summary>
    public static async ValueTask<byte[]> EncodeAsync(Tenant tenant, TenantEvent change, string? root) =>
        Response(change, root is null ? Whole(change) : await tenant.ReadAsync((graph, _) => Within(graph, change, root)).ConfigureAwait(false)).ToByteArray();

    // Lists cut at the default as ApplyChanges cuts them (a watcher cannot ask for more: truncated tells it to read
    // what it needs), so one priority shift at the top of a large tenant never outgrows a client's message limit.
    private static WatchRollupsResponse Response(TenantEvent change, ChangeOutcome outcome) =>
        new() { Version = change.Version, TreeReplaced = change.TreeReplaced, Outcome = outcome };

    private static ChangeOutcome Whole(TenantEvent change) =>
        ToProto.Outcome(change.Goals, change.Appeared, change.Disappeared, ToProto.DefaultMaxListed);

    /// <summary>The part of a change about goals in the watched subtree (as the tree stands now).</summary>
    private static ChangeOutcome Within(Core.AlignmentGraph graph, TenantEvent change, string root) => ToProto.Outcome(
        [.. change.Goals.Where(g => graph.IsWithin(g.Id, root))],
        [.. change.Appeared.Where(f => graph.IsWithin(f.Goal, root))],
        [.. change.Disappeared.Where(f => graph.IsWithin(f.Goal, root))],
        ToProto.DefaultMaxListed);
}

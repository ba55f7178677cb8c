using AlignmentEngine.Api.V1;
using AlignmentEngine.Grains;
using Google.Protobuf;
using Grpc.Core;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Service.Tenants;

namespace AlignmentEngine.Service;

public sealed partial class AlignmentService
{
    // A refresh interval of zero (keys read on every call) must not make a waiting watch spin.
    private static readonly TimeSpan MinimumKeyRecheck = TimeSpan.FromMilliseconds(100);

    // How long one call to the tenant's grain waits for a change before the front asks again: well inside Orleans'
    // response timeout, so a quiet tenant's watch is never a failed call.
    private static readonly TimeSpan WatchWait = TimeSpan.FromSeconds(10);

    // Changes replayed from the store per grain call: a watcher far behind gets them in parts, never in one huge message.
    private const int MaxReplayedPerBatch = 500;

    /// <summary>
    /// The front of a watch: asks the tenant's grain, again and again, for the changes after the last version it sent
    /// (a long poll), and streams them. Between two polls it checks the caller's key again, so a revoked key ends the
    /// watch. Each version is sent once, in order, whichever activation of the tenant answers: the grain replays from
    /// the store's change log what its memory does not reach back to.
    /// </summary>
    internal async Task WatchRollups(WatchRollupsRequest request, IServerStreamWriter<WatchRollupsResponse> responses, Caller caller, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        var tenantId = caller.Allow(ResourceNames.ParseTenant(request.Parent));
        var violations = new FieldViolations();
        var root = request.SubtreeGoalId.Length > 0 ? ToCore.GoalId(request.SubtreeGoalId, "subtree_goal_id", violations) : null;
        if (request.HasSinceVersion && request.SinceVersion < 0) violations.Add("since_version", "must not be negative");
        violations.ThrowIfAny();
        using var slot = _watchers.Enter(tenantId);
        var version = await grains.Version(tenantId).ConfigureAwait(false);
        var cursor = request.HasSinceVersion ? request.SinceVersion : version;
        if (cursor > version)
        {
            throw ServiceErrors.InvalidArgument("since_version", $"{cursor} is ahead of the tenant's version {version}");
        }

        // Headers now, not with the first event: a client can tell that its subscription stands.
        await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);

        // A watch never ends by itself: when the server stops, it ends with UNAVAILABLE (retryable) instead of
        // holding the shutdown up until its timeout.
        var stopping = lifetime.ApplicationStopping;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);

        // A caller with a key polls at least as often as keys are refreshed, to see a revocation.
        var wait = caller.KeyId is null || KeyRecheck > WatchWait ? WatchWait : KeyRecheck;
        try
        {
            while (true)
            {
                linked.Token.ThrowIfCancellationRequested();
                await authorizer.RecheckAsync(caller).ConfigureAwait(false);

                // The grain's call is not cancelled with the watch: it ends by itself within the wait.
                var batch = await grains.Watch(tenantId, new WatchRequest(cursor, root, wait)).WaitAsync(linked.Token).ConfigureAwait(false);
                foreach (var encoded in batch.Events)
                {
                    var change = WatchRollupsResponse.Parser.ParseFrom(encoded);
                    if (change.Version <= cursor) continue;
                    await responses.WriteAsync(change, cancellationToken).ConfigureAwait(false);
                    cursor = change.Version;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw ServiceErrors.ShuttingDown();
        }
    }

    /// <summary>
    /// The grain's part of a watch: the tenant's changes after <see cref="WatchRequest.After"/>, each cut to the watched
    /// subtree, waiting up to <see cref="WatchRequest.Wait"/> for the next one when there is none yet. From memory while
    /// the tenant's log reaches back that far; otherwise (a fresh activation, a reload, a watcher far behind) replayed
    /// from the store's change log, in parts of <see cref="MaxReplayedPerBatch"/>.
    /// </summary>
    internal async Task<WatchBatch> Watch(Tenant tenant, WatchRequest request)
    {
        var (events, next) = tenant.EventsAfter(request.After);
        if (events is { Count: 0 })
        {
            // A stopping silo waits for its grains' calls: the wait ends with the server's stop too.
            await Task.WhenAny(next, Task.Delay(request.Wait, lifetime.ApplicationStopping)).ConfigureAwait(true);
            (events, _) = tenant.EventsAfter(request.After);
        }

        var changes = events ?? (await history.EventsBetweenAsync(tenant.Id, request.After, tenant.Version).ConfigureAwait(true)).Take(MaxReplayedPerBatch);
        var encoded = new List<byte[]>();
        foreach (var change in changes) encoded.Add((await FilterAsync(tenant, change, request.SubtreeGoalId).ConfigureAwait(true)).ToByteArray());
        return new WatchBatch(tenant.Version, encoded);
    }

    /// <summary>How often a waiting watch asks whether its key was revoked: the refresh interval, but never so often that it spins.</summary>
    private TimeSpan KeyRecheck => _options.ApiKeyCacheTime > MinimumKeyRecheck ? _options.ApiKeyCacheTime : MinimumKeyRecheck;

    /// <summary>
    /// The part of a change about goals in the watched subtree (as the tree stands now). A watch interleaves with the
    /// tenant's writes, so it waits for a write's commit without blocking the grain.
    /// </summary>
    private static async ValueTask<WatchRollupsResponse> FilterAsync(Tenant tenant, TenantEvent change, string? root)
    {
        var response = new WatchRollupsResponse { Version = change.Version, TreeReplaced = change.TreeReplaced };

        // Lists cut at the default as ApplyChanges cuts them (a watcher cannot ask for more: truncated tells it to read
        // what it needs), so one priority shift at the top of a large tenant never outgrows a client's message limit.
        if (root is null)
        {
            response.Outcome = ToProto.Outcome(change.Goals, change.Appeared, change.Disappeared, ToProto.DefaultMaxListed);
            return response;
        }

        response.Outcome = await tenant.ReadAsync((graph, _) => ToProto.Outcome(
            [.. change.Goals.Where(g => graph.IsWithin(g.Id, root))],
            [.. change.Appeared.Where(f => graph.IsWithin(f.Goal, root))],
            [.. change.Disappeared.Where(f => graph.IsWithin(f.Goal, root))],
            ToProto.DefaultMaxListed)).ConfigureAwait(false);
        return response;
    }
}

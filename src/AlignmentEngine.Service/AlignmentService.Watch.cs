using AlignmentEngine.Api.V1;
using Grpc.Core;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Service.Tenants;

namespace AlignmentEngine.Service;

public sealed partial class AlignmentService
{
    // A refresh interval of zero (keys read on every call) must not make a waiting watch spin.
    private static readonly TimeSpan MinimumKeyRecheck = TimeSpan.FromMilliseconds(100);

    internal async Task WatchRollups(WatchRollupsRequest request, IServerStreamWriter<WatchRollupsResponse> responses, Caller caller, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        var tenantId = caller.Allow(ResourceNames.ParseTenant(request.Parent));
        var violations = new FieldViolations();
        var root = request.SubtreeGoalId.Length > 0 ? ToCore.GoalId(request.SubtreeGoalId, "subtree_goal_id", violations) : null;
        if (request.HasSinceVersion && request.SinceVersion < 0) violations.Add("since_version", "must not be negative");
        violations.ThrowIfAny();
        using var slot = _watchers.Enter(tenantId);
        var tenant = tenants.GetOrCreate(tenantId);
        var cursor = request.HasSinceVersion ? request.SinceVersion : tenant.Version;
        if (cursor > tenant.Version)
        {
            throw ServiceErrors.InvalidArgument("since_version", $"{cursor} is ahead of the tenant's version {tenant.Version}");
        }

        // Headers now, not with the first event: a client can tell that its subscription stands.
        await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);

        // A watch never ends by itself: when the server stops, it ends with UNAVAILABLE (retryable) instead of
        // holding the shutdown up until its timeout.
        var stopping = lifetime.ApplicationStopping;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
        try
        {
            while (true)
            {
                linked.Token.ThrowIfCancellationRequested();
                authorizer.Recheck(caller);

                // From memory while its log reaches back to the cursor; otherwise (after a restart, or a client far
                // behind) replayed from the store's change log up to the version now, then from memory again.
                var (events, next) = tenant.EventsAfter(cursor);
                foreach (var change in events ?? history.EventsBetween(tenantId, cursor, tenant.Version))
                {
                    await responses.WriteAsync(Filter(tenant, change, root), cancellationToken).ConfigureAwait(false);
                    cursor = change.Version;
                }

                // Woken by the next commit; a caller with a key also after the key refresh interval, to see a revocation.
                if (events is not { Count: 0 }) continue;
                if (caller.KeyId is null) await next.WaitAsync(linked.Token).ConfigureAwait(false);
                else await Task.WhenAny(next, Task.Delay(KeyRecheck, linked.Token)).ConfigureAwait(false);
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

    /// <summary>How often a waiting watch asks whether its key was revoked: the refresh interval, but never so often that it spins.</summary>
    private TimeSpan KeyRecheck => _options.ApiKeyCacheTime > MinimumKeyRecheck ? _options.ApiKeyCacheTime : MinimumKeyRecheck;

    /// <summary>The part of a change about goals in the watched subtree (as the tree stands now).</summary>
    private static WatchRollupsResponse Filter(Tenant tenant, TenantEvent change, string? root)
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

using System.Diagnostics;
using AlignmentEngine.Api.V1;
using AlignmentEngine.Grains;
using Grpc.Core;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Service.Tenants;

namespace AlignmentEngine.Service;

public sealed partial class AlignmentService
{
    // A refresh interval of zero (keys read on every call) must not make a waiting watch spin.
    private static readonly TimeSpan MinimumKeyRecheck = TimeSpan.FromMilliseconds(100);

    // After a grain call of a watch failed (the tenant's silo died, its activation is moving), or found the tenant's
    // activation behind what the watch has heard of: how long before the watch asks again.
    private static readonly TimeSpan WatchRetry = TimeSpan.FromMilliseconds(500);

    // A subscription outlives this many renewal periods: one lost renewal does not drop a watcher.
    private const int LeasePeriods = 3;

    // Changes replayed per grain call: a watcher far behind gets them in parts, never in one huge message.
    private const int MaxReplayedPerBatch = 500;

    /// <summary>
    /// The front of a watch. It subscribes to the tenant's grain (<see cref="ITenantWatcher"/>), which pushes each change
    /// it commits, and streams them. Pushes alone cannot keep the promise that each version is sent once and in order: a
    /// grain reactivated or moved to another silo (a failover) knows none of its watchers, and a push can be lost. So
    /// every <see cref="AlignmentServiceOptions.WatchResubscribePeriod"/> the watch renews its subscription, which
    /// answers the tenant's version, and whenever it knows of a version it has not sent (a push that jumps, a renewal
    /// ahead of it, a resumed watch) it asks the grain for the changes after the last one it sent, which come from the
    /// tenant's memory or are replayed from the store's change log. A client that reads slowly holds up the watch's
    /// writes (HTTP/2 flow control), not the grain: its queue of pushes is bounded, and what it drops is replayed
    /// (<see cref="WatchInbox.Dropped"/>). Between deliveries it checks the caller's key again, so a revoked key ends
    /// the watch.
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
        var period = _options.WatchResubscribePeriod;
        var inbox = new WatchInbox(tenantId);
        var subscription = new WatchSubscription(grains.Reference(inbox), root, period * LeasePeriods);
        try
        {
            var known = await grains.Subscribe(tenantId, subscription).ConfigureAwait(false);
            var renewAt = Stopwatch.GetTimestamp() + Ticks(period);
            var cursor = request.HasSinceVersion ? request.SinceVersion : known;
            if (cursor > known)
            {
                throw ServiceErrors.InvalidArgument("since_version", $"{cursor} is ahead of the tenant's version {known}");
            }

            // Headers now, not with the first event: a client can tell that its subscription stands.
            await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);

            // A watch never ends by itself: when the server stops, it ends with UNAVAILABLE (retryable) instead of
            // holding the shutdown up until its timeout.
            var stopping = lifetime.ApplicationStopping;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
            var send = new WatchSender(responses, cancellationToken);
            try
            {
                while (true)
                {
                    linked.Token.ThrowIfCancellationRequested();
                    await authorizer.RecheckAsync(caller).ConfigureAwait(false);
                    if (Stopwatch.GetTimestamp() >= renewAt)
                    {
                        var renewed = await Renew(tenantId, subscription, linked.Token).ConfigureAwait(false);
                        known = Math.Max(known, renewed ?? known);
                        renewAt = Stopwatch.GetTimestamp() + Ticks(renewed is null ? WatchRetry : period);
                    }

                    // Pushes its queue had no room for (the client read too slowly) are replayed now.
                    known = Math.Max(known, inbox.Dropped);
                    if (known > cursor) cursor = await Replay(tenantId, root, cursor, known, send, linked.Token).ConfigureAwait(false);

                    // A caller with a key wakes at least as often as keys are refreshed, to see a revocation.
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), renewAt);
                    if (caller.KeyId is not null && KeyRecheck < wait) wait = KeyRecheck;
                    if (await inbox.Next(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, linked.Token).ConfigureAwait(false) is not { } pushed) continue;
                    known = Math.Max(known, pushed.Version);
                    cursor = await send.InOrder(pushed.Events, cursor).ConfigureAwait(false);
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
        finally
        {
            // Not awaited: the watch's answer does not wait on it, and a grain that is gone forgets the lease anyway.
            _ = grains.Unsubscribe(tenantId, subscription.Watcher).ContinueWith(unsubscribed => unsubscribed.Exception, TaskScheduler.Default);
            grains.Forget(subscription.Watcher);
        }
    }

    /// <summary>
    /// The grain's part of a replay: the tenant's changes after <see cref="WatchRequest.After"/>, each cut to the watched
    /// subtree, from memory while the tenant's log reaches back that far; otherwise (a fresh activation, a reload, a
    /// watcher far behind) replayed from the store's change log. At most <see cref="MaxReplayedPerBatch"/> at a time.
    /// </summary>
    internal async Task<WatchBatch> ChangesAsync(Tenant tenant, WatchRequest request)
    {
        var version = tenant.Version;
        var changes = tenant.EventsAfter(request.After) ?? await history.EventsBetweenAsync(tenant.Id, request.After, version).ConfigureAwait(false);
        var encoded = new List<byte[]>();
        foreach (var change in changes.Take(MaxReplayedPerBatch)) encoded.Add(await WatchEvents.EncodeAsync(tenant, change, request.SubtreeGoalId).ConfigureAwait(false));
        return new WatchBatch(version, encoded);
    }

    /// <summary>Renews the watch's subscription: the tenant's version, or null when the grain could not be reached (tried again shortly).</summary>
    private async Task<long?> Renew(string tenant, WatchSubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            return await grains.Subscribe(tenant, subscription).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Sends the changes after <paramref name="cursor"/> up to <paramref name="known"/>, asked of the tenant's grain in
    /// parts, and answers the last version sent. When the grain cannot be reached, or its activation is not yet as far
    /// as <paramref name="known"/> (a second activation during a failover), it waits a moment and the watch asks again.
    /// </summary>
    private async Task<long> Replay(string tenant, string? root, long cursor, long known, WatchSender send, CancellationToken cancellationToken)
    {
        while (cursor < known)
        {
            WatchBatch batch;
            try
            {
                batch = await grains.Changes(tenant, new WatchRequest(cursor, root)).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                batch = new WatchBatch(cursor, []);
            }

            var before = cursor;
            cursor = await send.InOrder(batch.Events, cursor).ConfigureAwait(false);
            if (cursor == before)
            {
                await Task.Delay(WatchRetry, cancellationToken).ConfigureAwait(false);
                return cursor;
            }
        }

        return cursor;
    }

    /// <summary>How often a waiting watch asks whether its key was revoked: the refresh interval, but never so often that it spins.</summary>
    private TimeSpan KeyRecheck => _options.ApiKeyCacheTime > MinimumKeyRecheck ? _options.ApiKeyCacheTime : MinimumKeyRecheck;

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>A watch's stream: each version once, in order.</summary>
    private sealed class WatchSender(IServerStreamWriter<WatchRollupsResponse> responses, CancellationToken cancellationToken)
    {
        /// <summary>
        /// Sends those of <paramref name="events"/> that follow <paramref name="cursor"/> one by one, skipping what was
        /// sent already and stopping at a jump (a version missed, which the watch then replays); answers the last sent.
        /// </summary>
        public async Task<long> InOrder(IReadOnlyList<byte[]> events, long cursor)
        {
            foreach (var encoded in events)
            {
                var change = WatchRollupsResponse.Parser.ParseFrom(encoded);
                if (change.Version <= cursor) continue;
                if (change.Version != cursor + 1) break;
                await responses.WriteAsync(change, cancellationToken).ConfigureAwait(false);
                cursor = change.Version;
            }

            return cursor;
        }
    }
}

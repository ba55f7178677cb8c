using AlignmentEngine.Service.Tenants;
using AlignmentEngine.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AlignmentEngine.Service.Webhooks;

/// <summary>
/// Activates every tenant that has webhook subscriptions, wherever the cluster places it: at this silo's start (once
/// its grains can be called), and again each time the membership declares a silo dead. The activation starts the
/// tenant's deliverers, which send what the outbox still holds (events committed before a stop or a crash), and keeps
/// the tenant activated while it has subscriptions. Without the second pass, a dead silo's subscribed tenants would
/// deliver nothing until something else called them. Every silo runs both passes: a call reaches the tenant's one
/// activation, so activating a tenant that is already active costs one grain call.
/// </summary>
internal sealed partial class SubscribedTenantsActivation(
    TenantDirectory tenants, TenantGrains grains, IAlignmentStore store, IClusterMembershipService membership, ILogger<SubscribedTenantsActivation> logger)
    : BackgroundService
{
    /// <summary>How long a tenant whose activation fails is retried (a call may still be routed to the dead silo just after its death).</summary>
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ActivateSubscribedAsync(stoppingToken).ConfigureAwait(false);
            var known = membership.CurrentSnapshot;
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken).ConfigureAwait(false))
            {
                var died = snapshot.CreateUpdate(known).Changes.Any(m => m.Status == SiloStatus.Dead);
                known = snapshot;
                if (died) await ActivateSubscribedAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped (before every tenant was activated, or while following the membership): the next start does it.
        }
        catch (Exception e)
        {
            // The membership's updates ended: a server that cannot follow them still serves; the tenants a dead silo
            // held start delivering at their next call.
            LogMembershipNotFollowed(logger, e);
        }
    }

    /// <summary>
    /// Calls each subscribed tenant's grain, retrying those whose call fails for <see cref="RetryFor"/>. A store that
    /// cannot be read now must not stop the server: each tenant's deliverers then start with its next call.
    /// </summary>
    private async Task ActivateSubscribedAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<string> pending;
        try
        {
            await tenants.EnsureMigratedAsync().ConfigureAwait(false);
            pending = await store.Webhooks.SubscribedTenantsAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogActivationFailed(logger, e);
            return;
        }

        var giveUp = TimeProvider.System.GetUtcNow() + RetryFor;
        while (true)
        {
            var failed = new List<string>();
            Exception? last = null;
            foreach (var tenant in pending)
            {
                stoppingToken.ThrowIfCancellationRequested();
                try
                {
                    await grains.Version(tenant).ConfigureAwait(false);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    failed.Add(tenant);
                    last = e;
                }
            }

            if (failed.Count == 0) return;
            if (TimeProvider.System.GetUtcNow() >= giveUp)
            {
                LogTenantsNotActivated(logger, failed.Count, string.Join(", ", failed.Take(10)), last);
                return;
            }

            pending = failed;
            await Task.Delay(RetryDelay, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Reading the tenants that have webhook subscriptions failed; each starts delivering at its next call")]
    private static partial void LogActivationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Following the cluster's membership failed; the tenants of a silo that dies start delivering at their next call")]
    private static partial void LogMembershipNotFollowed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Count} tenants with webhook subscriptions could not be activated (first: {Tenants}); each starts delivering at its next call")]
    private static partial void LogTenantsNotActivated(ILogger logger, int count, string tenants, Exception? exception);
}

using AlignmentEngine.Service.Tenants;
using AlignmentEngine.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AlignmentEngine.Service.Webhooks;

/// <summary>
/// At a silo's start (once its grains can be called), activates every tenant that has webhook subscriptions, wherever
/// the cluster places it: the activation starts the tenant's deliverers, which send what the outbox still holds (events
/// committed before a stop or a crash), and keeps the tenant activated while it has subscriptions.
/// </summary>
internal sealed partial class SubscribedTenantsActivation(TenantDirectory tenants, TenantGrains grains, IAlignmentStore store, ILogger<SubscribedTenantsActivation> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await tenants.EnsureMigratedAsync().ConfigureAwait(false);
            foreach (var tenant in await store.Webhooks.SubscribedTenantsAsync(stoppingToken).ConfigureAwait(false))
            {
                stoppingToken.ThrowIfCancellationRequested();
                await grains.Version(tenant).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before every tenant was activated: the next start does it.
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // A store that cannot be read now must not stop the server: each tenant's deliverers start with its first call.
            LogActivationFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Activating the tenants that have webhook subscriptions failed; each starts delivering at its next call")]
    private static partial void LogActivationFailed(ILogger logger, Exception exception);
}

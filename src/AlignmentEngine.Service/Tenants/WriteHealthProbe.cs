using AlignmentEngine.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// Migrates the store before the server takes calls; then, while writes are failing, probes the database every
/// <see cref="AlignmentServiceOptions.PollInterval"/> until a write can commit again, and reports the writes SERVING.
/// Nothing else is polled: a tenant's changes are made by its one grain activation, and another activation or
/// deployment that committed first is taken in when a write finds it (the store's version guard).
/// </summary>
internal sealed partial class WriteHealthProbe(TenantDirectory tenants, IAlignmentStore store, StoreHealth health, IOptions<AlignmentServiceOptions> options, ILogger<WriteHealthProbe> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await tenants.EnsureMigratedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        health.Start();
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        var reported = false;
        while (await NextTick(timer, stoppingToken).ConfigureAwait(false))
        {
            if (health.Healthy)
            {
                reported = false;
                continue;
            }

            if (!reported)
            {
                LogUnavailable(logger, store.Description);
                reported = true;
            }

            if (await store.CanWriteAsync(stoppingToken).ConfigureAwait(false))
            {
                health.Recovered();
                LogRecovered(logger, store.Description);
            }
        }
    }

    // Stopping ends the loop quietly: a cancelled wait is the normal way out, not a failure of the service.
    private static async Task<bool> NextTick(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Store {Store} is unavailable; writes answer UNAVAILABLE until it is back")]
    private static partial void LogUnavailable(ILogger logger, string store);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Store {Store} is available again; writes are served")]
    private static partial void LogRecovered(ILogger logger, string store);
}

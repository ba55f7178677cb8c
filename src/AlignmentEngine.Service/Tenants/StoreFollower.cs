using AlignmentEngine.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// Migrates the store before the server takes calls, then polls the store: changes other processes committed
/// (replicas on one database) to the tenants activated here are applied within a poll interval, and while writes are failing it probes
/// the database until a write can commit again, then reports the writes SERVING. Polling the change log is the
/// one mechanism for both SQLite and PostgreSQL.
/// </summary>
internal sealed partial class StoreFollower(TenantDirectory tenants, IAlignmentStore store, StoreHealth health, IOptions<AlignmentServiceOptions> options, ILogger<StoreFollower> logger)
    : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        tenants.EnsureMigrated();
        health.Start();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        while (await NextTick(timer, stoppingToken).ConfigureAwait(false))
        {
            try
            {
                if (!health.Healthy && store.CanWrite())
                {
                    health.Recovered();
                    LogRecovered(logger, store.Description);
                }

                tenants.Follow();
            }
            catch (StoreUnavailableException e)
            {
                if (health.Healthy) LogUnavailable(logger, store.Description, e.Message);
                health.Failed();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // One tenant that cannot be followed (a log that does not replay, a cancelled store command) must not
                // stop the server: it is logged, and tried again at the next tick.
                LogFollowFailed(logger, e);
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Store {Store} is unavailable; writes answer UNAVAILABLE until it is back: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string store, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Following the change log failed")]
    private static partial void LogFollowFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Store {Store} is available again; writes are served")]
    private static partial void LogRecovered(ILogger logger, string store);
}

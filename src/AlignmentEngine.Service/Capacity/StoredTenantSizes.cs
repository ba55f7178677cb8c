using System.Collections.Concurrent;
using AlignmentEngine.Service.Tenants;
using AlignmentEngine.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Capacity;

/// <summary>
/// A tenant's size as the store keeps it (<see cref="IAlignmentStore.CountGoalsAsync"/>, one row), for placing a tenant
/// no silo has held. Answers are kept for <see cref="CacheFor"/> (a burst of placements reads the store once per tenant),
/// and a store that does not answer within <see cref="Wait"/> (its migration by this process included), or fails,
/// answers nothing: placement then goes by the budgets left alone, as it does without a size, and that is logged.
/// </summary>
internal sealed partial class StoredTenantSizes(IAlignmentStore store, TenantDirectory directory, IOptions<AlignmentServiceOptions> options, ILogger<StoredTenantSizes> logger)
{
    /// <summary>How long a size read from the store is used: short, since the tenant may grow; its silos' own sizes come first anyway.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    /// <summary>How long placement waits for the store before it places without the size.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    /// <summary>Sizes kept at most; past it the cache starts again empty.</summary>
    public const int Cached = 10_000;

    private readonly ConcurrentDictionary<string, (int? Goals, long ReadAt)> _cache = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock = options.Value.Clock;

    /// <summary><paramref name="tenant"/>'s goals as its last commit left them; null when the store does not know it, or did not answer in time.</summary>
    public async Task<int?> GoalsOf(string tenant)
    {
        if (_cache.TryGetValue(tenant, out var cached) && _clock.GetElapsedTime(cached.ReadAt) < CacheFor) return cached.Goals;
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            var goals = await CountAsync(tenant, timeout.Token).WaitAsync(Wait).ConfigureAwait(false);
            if (_cache.Count >= Cached) _cache.Clear();
            _cache[tenant] = (goals, _clock.GetTimestamp());
            return goals;
        }
        catch (Exception e)
        {
            // Whatever went wrong, placement still places: without the size, as before the store kept one.
            LogNoAnswer(logger, tenant, Wait.TotalSeconds, e.Message);
            return null;
        }
    }

    /// <summary>The count, once this process has brought the store's schema up to date (an older store has no count yet).</summary>
    private async Task<int?> CountAsync(string tenant, CancellationToken cancellationToken)
    {
        await directory.EnsureMigratedAsync().ConfigureAwait(false);
        return await store.CountGoalsAsync(tenant, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Placing tenant '{Tenant}' without its size: the store did not tell it within {Seconds} s ({Reason})")]
    private static partial void LogNoAnswer(ILogger logger, string tenant, double seconds, string reason);
}

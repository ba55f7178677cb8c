using System.Collections.Concurrent;
using System.Diagnostics;

namespace AlignmentEngine.Service.Limits;

/// <summary>
/// A token bucket per API key: <paramref name="perSecond"/> calls a second on average, up to
/// <paramref name="burst"/> at once. Buckets live in memory, so each replica limits on its own.
/// </summary>
internal sealed class KeyRateLimiter(double perSecond, int burst)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes a token for <paramref name="keyId"/>, or RESOURCE_EXHAUSTED naming the limit.</summary>
    public void Take(string keyId)
    {
        if (perSecond <= 0) return;
        var bucket = _buckets.GetOrAdd(keyId, _ => new Bucket(burst));
        if (!bucket.TryTake(perSecond, burst))
        {
            throw ServiceErrors.ResourceExhausted("rate_limit_per_key",
                $"API key {keyId} made more than {perSecond:0.##} calls a second (burst {burst}); the limit (rate_limit_per_key) refused this one: retry later");
        }
    }

    private sealed class Bucket(int burst)
    {
        private readonly Lock _gate = new();
        private double _tokens = burst;
        private long _refilledAt = Stopwatch.GetTimestamp();

        public bool TryTake(double perSecond, int capacity)
        {
            lock (_gate)
            {
                var now = Stopwatch.GetTimestamp();
                _tokens = Math.Min(capacity, _tokens + (Stopwatch.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond));
                _refilledAt = now;
                if (_tokens < 1) return false;
                _tokens -= 1;
                return true;
            }
        }
    }
}

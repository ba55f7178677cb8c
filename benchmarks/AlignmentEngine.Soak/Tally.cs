using System.Collections.Concurrent;
using System.Diagnostics;

namespace AlignmentEngine.Soak;

/// <summary>Calls made by kind: how many, how many failed (with the first few errors), and their latencies.</summary>
internal sealed class Tally
{
    private readonly ConcurrentDictionary<string, Kind> _kinds = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _errors = new();

    public IReadOnlyCollection<string> FirstErrors => _errors;

    public long TotalErrors => _kinds.Values.Sum(k => k.Errors);

    /// <summary>Times <paramref name="call"/> and counts it under <paramref name="kind"/>; an exception is an error, not a crash.</summary>
    public async Task<T?> Time<T>(string kind, Func<Task<T>> call)
    {
        var entry = _kinds.GetOrAdd(kind, _ => new Kind());
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await call().ConfigureAwait(false);
            entry.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Error(kind, e.Message);
            return default;
        }
    }

    public void Error(string kind, string message)
    {
        Interlocked.Increment(ref _kinds.GetOrAdd(kind, _ => new Kind()).Errors);
        if (_errors.Count < 20) _errors.Enqueue($"{kind}: {message}");
    }

    /// <summary>Rows of kind, calls, errors, p50 and p99 milliseconds, sorted by kind.</summary>
    public IEnumerable<(string Kind, long Calls, long Errors, double P50, double P99)> Rows() =>
        _kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.Calls, k.Value.Errors, k.Value.Percentile(0.50), k.Value.Percentile(0.99)));

    private sealed class Kind
    {
        private readonly Lock _gate = new();
        private readonly List<double> _milliseconds = [];

        public long Errors;

        public long Calls
        {
            get
            {
                lock (_gate) return _milliseconds.Count + Interlocked.Read(ref Errors);
            }
        }

        public void Record(double milliseconds)
        {
            lock (_gate) _milliseconds.Add(milliseconds);
        }

        public double Percentile(double p)
        {
            lock (_gate)
            {
                if (_milliseconds.Count == 0) return double.NaN;
                var sorted = _milliseconds.Order().ToArray();
                return sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(p * sorted.Length))];
            }
        }
    }
}

using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Capacity;

/// <summary>
/// The bound on tenants this silo loads from the store at once (<c>okr serve --max-concurrent-loads</c>): an activation
/// waits for a slot before it reads the store. After a silo dies, a survivor may be asked for many of its tenants at
/// once; loading them all together would hold every graph being built in memory at the same time and share the CPU
/// and the database among all of them, so that none answers soon. With a bound, they load a few at a time, the first
/// ones answering after their own load time. A wait is given up when the activation's own time runs out (Orleans'
/// activation timeout, <see cref="Hosting.SiloConfiguration"/>), and the call that asked is UNAVAILABLE
/// (<see cref="Tenants.GrainCallFailures"/>).
/// </summary>
public sealed partial class TenantLoads : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly ILogger<TenantLoads> _logger;
    private int _running;
    private int _waiting;
    private int _peak;
    private long _waited;

    public TenantLoads(IOptions<AlignmentServiceOptions> options, ILogger<TenantLoads> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        Bound = options.Value.MaxConcurrentLoads;
        _slots = new SemaphoreSlim(Bound, Bound);
    }

    /// <summary>Loads that may run at once.</summary>
    public int Bound { get; }

    /// <summary>Loads running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Activations waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>The most loads that ever ran at once on this silo.</summary>
    public int Peak => Volatile.Read(ref _peak);

    /// <summary>The loads that had to wait for a slot, so far.</summary>
    public long Waited => Interlocked.Read(ref _waited);

    /// <summary>Runs <paramref name="load"/> of <paramref name="tenant"/> in a slot, waiting for one until <paramref name="cancellation"/>.</summary>
    public async Task<T> Run<T>(string tenant, Func<Task<T>> load, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(load);
        var asked = Stopwatch.GetTimestamp();
        if (!_slots.Wait(0))
        {
            Interlocked.Increment(ref _waited);
            Interlocked.Increment(ref _waiting);
            try
            {
                // Cancelled when the activation's time is over: the call that asked answers UNAVAILABLE (GrainCallFailures).
                await _slots.WaitAsync(cancellation).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        var running = Interlocked.Increment(ref _running);
        for (var peak = Volatile.Read(ref _peak); running > peak; peak = Volatile.Read(ref _peak))
        {
            if (Interlocked.CompareExchange(ref _peak, running, peak) == peak) break;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var loaded = await load().ConfigureAwait(false);
            LogLoaded(_logger, tenant, Stopwatch.GetElapsedTime(started).TotalMilliseconds, Stopwatch.GetElapsedTime(asked, started).TotalMilliseconds);
            return loaded;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            _slots.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded tenant '{Tenant}' in {LoadMs:F0} ms, after {WaitMs:F0} ms waiting for a load slot")]
    private static partial void LogLoaded(ILogger logger, string tenant, double loadMs, double waitMs);

    public void Dispose() => _slots.Dispose();
}

using System.Diagnostics;
using System.Globalization;

namespace AlignmentEngine.Soak;

/// <summary>One sample: time into the run, the server's resident memory (MiB) and the machine's 1-minute load.</summary>
internal sealed record MemorySample(TimeSpan At, double RssMib, double Load1);

/// <summary>Samples the server's resident memory (VmRSS of /proc/PID/status) and the load average at a fixed pace.</summary>
internal sealed class MemorySampler(int? pid, TimeSpan every)
{
    private readonly List<MemorySample> _samples = [];

    public IReadOnlyList<MemorySample> Samples => _samples;

    public async Task RunAsync(Stopwatch clock, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(every);
        do
        {
            _samples.Add(new MemorySample(clock.Elapsed, pid is { } p ? RssMib(p) : double.NaN, Machine.Load()[0]));
        }
        while (await Tick(timer, stop).ConfigureAwait(false));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public static double RssMib(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kib = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return kib / 1024;
    }
}

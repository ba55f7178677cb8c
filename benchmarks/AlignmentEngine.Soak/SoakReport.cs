using System.Globalization;

namespace AlignmentEngine.Soak;

/// <summary>The soak's verdict and its tables (markdown, to paste into docs/benchmark-log.md).</summary>
internal sealed class SoakReport(
    SoakOptions options, Tally tally, IReadOnlyList<MemorySample> samples, IReadOnlyList<long> watcherEvents, long fromVersion, long toVersion, TimeSpan driving, double[] loadAtStart, double[] loadAtEnd)
{
    // Memory is compared over windows rather than single samples, so that one collection's timing does not decide.
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private TimeSpan WarmedUp => TimeSpan.FromMinutes(options.WarmupMinutes);

    private double AfterWarmup => Mean(samples.Where(s => s.At >= WarmedUp && s.At < WarmedUp + Window));

    private double AtEnd => Mean(samples.Where(s => s.At > driving - Window && s.At <= driving));

    private double Growth => AtEnd - AfterWarmup;

    private bool MemoryJudged => options.ServerPid is not null && !double.IsNaN(Growth);

    public bool Passed => tally.TotalErrors == 0 && (!MemoryJudged || Growth <= options.MaxGrowthMib);

    public void Print(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"soak: {driving.TotalMinutes:0.0} min against {options.Address}: {options.Writers} writers, {options.Readers} readers, {options.Watchers} watchers; tenant of {1 + options.Departments + (options.Departments * options.KeyResults)} goals"));
        output.WriteLine(string.Create(c, $"machine: {Machine.Describe()}"));
        output.WriteLine(string.Create(c, $"load average: {string.Join(' ', loadAtStart.Select(l => l.ToString("0.00", c)))} at start, {string.Join(' ', loadAtEnd.Select(l => l.ToString("0.00", c)))} at end"));
        output.WriteLine();
        output.WriteLine("| calls | count | errors | per second | p50 ms | p99 ms |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (kind, calls, errors, p50, p99) in tally.Rows())
        {
            output.WriteLine(string.Create(c, $"| {kind} | {calls} | {errors} | {calls / driving.TotalSeconds:0.0} | {p50:0.0} | {p99:0.0} |"));
        }

        output.WriteLine();
        output.WriteLine(string.Create(c, $"versions {fromVersion + 1}..{toVersion} committed ({toVersion - fromVersion}); events seen per watcher: {string.Join(", ", watcherEvents)} (each must equal {toVersion - fromVersion})"));
        output.WriteLine();
        output.WriteLine("| minute | server RSS MiB | load (1 min) |");
        output.WriteLine("| ---: | ---: | ---: |");
        foreach (var s in samples.Where((_, k) => k % Math.Max(1, (int)(Window / options.SampleEvery)) == 0))
        {
            output.WriteLine(string.Create(c, $"| {s.At.TotalMinutes:0.0} | {s.RssMib:0.0} | {s.Load1:0.00} |"));
        }

        output.WriteLine();
        output.WriteLine(MemoryJudged
            ? string.Create(c, $"memory: {AfterWarmup:0.0} MiB after warm-up ({options.WarmupMinutes:0.##} min), {AtEnd:0.0} MiB at the end: {Growth:+0.0;-0.0} MiB (bound {options.MaxGrowthMib:0} MiB)")
            : "memory: not judged (no --server-pid, or a run too short for both windows)");
        foreach (var error in tally.FirstErrors) output.WriteLine($"error: {error}");
        output.WriteLine(Passed ? "soak: PASSED" : $"soak: FAILED ({tally.TotalErrors} errors{(MemoryJudged && Growth > options.MaxGrowthMib ? ", memory grew beyond the bound" : string.Empty)})");
    }

    private static double Mean(IEnumerable<MemorySample> window)
    {
        var values = window.Select(s => s.RssMib).ToList();
        return values.Count == 0 ? double.NaN : values.Average();
    }
}

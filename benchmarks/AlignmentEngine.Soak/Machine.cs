using System.Globalization;

namespace AlignmentEngine.Soak;

/// <summary>What the run was measured on, from /proc.</summary>
internal static class Machine
{
    /// <summary>The 1-, 5- and 15-minute load averages.</summary>
    public static double[] Load() =>
        [.. File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];

    public static string Describe()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return $"{Environment.ProcessorCount} cores ({model}), {double.Parse(memory, CultureInfo.InvariantCulture) / 1024 / 1024:0.#} GiB, .NET {Environment.Version}";
    }
}

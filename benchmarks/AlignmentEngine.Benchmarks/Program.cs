using BenchmarkDotNet.Running;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- --filter '*'</c> runs the suite (scripts/bench); <c>--memory</c> measures resident
/// bytes per goal instead. Exits non-zero when any benchmark fails, so a broken fixture (say, the SQLite peer
/// disagreeing with the engine) fails the command.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--memory")) return MemoryProbe.Run();
        if (args.Contains("--memory-breakdown")) return MemoryBreakdown.Run(1_000_000);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}

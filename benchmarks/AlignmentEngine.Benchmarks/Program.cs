using BenchmarkDotNet.Running;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- --filter '*'</c> runs the suite (scripts/bench); <c>--memory</c> measures resident
/// bytes per goal instead, <c>--memory-breakdown</c> where they go. Exits non-zero when any benchmark fails, so a
/// broken fixture (say, a database peer disagreeing with the engine) fails the command. The PostgreSQL peer needs
/// a server: without <c>OKR_BENCH_POSTGRES</c> it is left out, and the run says so instead of failing.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--memory")) return MemoryProbe.Run();
        if (args.Contains("--memory-breakdown")) return MemoryBreakdown.Run(1_000_000);
        var classes = typeof(Program).Assembly.GetExportedTypes().Where(t => t.Name.EndsWith("Benchmarks", StringComparison.Ordinal)).ToList();
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PostgresRollupPeer.ConnectionVariable)))
        {
            classes.Remove(typeof(PostgresPeerBenchmarks));
            Console.WriteLine(
                $"PostgreSQL peer NOT RUN: {PostgresRollupPeer.ConnectionVariable} is not set (it needs a server). " +
                $"bash scripts/test.d/40-postgres.sh starts a throwaway one; then {PostgresRollupPeer.ConnectionVariable}=\"$(cat .test-output/postgres.conn)\" scripts/bench --filter '*Postgres*'.");
        }

        var summaries = BenchmarkSwitcher.FromTypes([.. classes]).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}

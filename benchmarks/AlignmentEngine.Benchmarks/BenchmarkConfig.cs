using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// The one configuration every benchmark class uses (by attribute): allocations measured, and a short job so
/// the whole suite, 1,000,000-goal cases included, runs in about twenty minutes on a 2-core machine. In process,
/// because the fixtures (a generated organisation, a built graph, a populated database) cost seconds to make and
/// a child process per case would make them again for nothing.
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        AddDiagnoser(MemoryDiagnoser.Default);
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(5)
            .WithId("Short"));
        WithOption(ConfigOptions.DisableOptimizationsValidator, false);
    }
}

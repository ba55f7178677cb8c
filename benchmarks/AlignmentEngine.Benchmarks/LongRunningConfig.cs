using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// <see cref="BenchmarkConfig"/> for cases of tens of seconds per call (the PostgreSQL peer at 1,000,000 goals
/// takes 25–50 s on this machine): one warm-up and three measured calls, and an in-process time limit of an hour
/// instead of the toolchain's default, which aborted the whole run after four such calls.
/// </summary>
public sealed class LongRunningConfig : ManualConfig
{
    public LongRunningConfig()
    {
        AddDiagnoser(MemoryDiagnoser.Default);
        AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(1), logOutput: true))
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(3)
            .WithId("Long"));
        WithOption(ConfigOptions.DisableOptimizationsValidator, false);
    }
}

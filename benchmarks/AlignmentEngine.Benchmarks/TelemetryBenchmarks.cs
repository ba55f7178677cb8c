using System.Diagnostics;
using System.Diagnostics.Metrics;
using AlignmentEngine.Core;
using AlignmentEngine.Service.Telemetry;
using BenchmarkDotNet.Attributes;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// What tracing a recomputation adds to the cheapest one the service does, a single check-in (the same goal and
/// alternation as <see cref="CheckInBenchmarks"/>): plain Apply, Apply as a <see cref="Recomputation"/> with nothing
/// listening (telemetry off, the default), and with a listener that samples every span and records the histogram (what
/// the OpenTelemetry SDK does when an endpoint is configured, before its exporter's batching).
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class TelemetryBenchmarks
{
    private AlignmentGraph _graph = null!;
    private CheckIn[][] _changes = null!;
    private int _turn;
    private ActivityListener? _spans;
    private MeterListener? _metrics;
    private double _recorded;

    [Params(10_000, 100_000)]
    public int Goals { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var tree = Fixtures.Tree(Goals);
        _graph = Fixtures.Graph(tree);
        var target = Fixtures.CheckInTargets(tree, _graph).Take(500)
            .MaxBy(candidate => _graph.Simulate([Fixtures.CheckInAt(candidate, 0.3)], Fixtures.AsOf).Goals.Count)!;
        _changes = [[Fixtures.CheckInAt(target, 0.3)], [Fixtures.CheckInAt(target, 0.6)]];
    }

    [GlobalSetup(Target = nameof(TracedAndListened))]
    public void Listen()
    {
        Setup();
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RpcTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_spans);
        _metrics = new MeterListener { InstrumentPublished = (instrument, listener) => { if (instrument.Meter.Name == RpcTelemetry.Name) listener.EnableMeasurementEvents(instrument); } };
        _metrics.SetMeasurementEventCallback<double>((_, value, _, _) => _recorded += value);
        _metrics.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _spans?.Dispose();
        _metrics?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "one check-in, plain Apply")]
    public ChangeResult Plain() => _graph.Apply(_changes[_turn++ & 1], Fixtures.AsOf);

    [Benchmark(Description = "as a Recomputation, nothing listening")]
    public ChangeResult TracedNotListened() => Traced();

    [Benchmark(Description = "as a Recomputation, span and histogram recorded")]
    public ChangeResult TracedAndListened() => Traced();

    private ChangeResult Traced()
    {
        var changes = _changes[_turn++ & 1];
        var recomputation = Recomputation.Start(Recomputation.Apply, "bench", changes.Length);
        var result = _graph.Apply(changes, Fixtures.AsOf);
        recomputation.End(_graph.Count, result.Goals.Count);
        return result;
    }
}

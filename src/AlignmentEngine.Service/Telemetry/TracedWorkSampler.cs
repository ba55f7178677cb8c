using System.Diagnostics;
using OpenTelemetry.Trace;

namespace AlignmentEngine.Service.Telemetry;

/// <summary>
/// What the service traces: each call (its server span), the service's own background work (its root spans, e.g.
/// <c>okr.catch_up</c>), and everything inside them. A client span with nothing around it is no trace of its own:
/// Npgsql traces every command it runs, so without this rule each poll of the change log (four a second) would be
/// exported as a trace of one PostgreSQL span.
/// </summary>
internal sealed class TracedWorkSampler : Sampler
{
    public static readonly Sampler Instance = new ParentBasedSampler(new TracedWorkSampler());

    private TracedWorkSampler() => Description = nameof(TracedWorkSampler);

    /// <summary>Called for spans with no parent only (<see cref="ParentBasedSampler"/> follows the parent's decision otherwise).</summary>
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        new(samplingParameters.Kind == ActivityKind.Client ? SamplingDecision.Drop : SamplingDecision.RecordAndSample);
}

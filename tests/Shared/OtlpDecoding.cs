using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace AlignmentEngine.Tests.Shared;

/// <summary>What an <see cref="OtlpReceiver"/> got, decoded as a collector would: spans and metrics with their attributes.</summary>
internal static class OtlpDecoding
{
    /// <summary>Every span received on <paramref name="path"/>, across all requests.</summary>
    public static IReadOnlyList<Span> Spans(this OtlpReceiver receiver, string path = "/v1/traces") =>
        [.. receiver.Received(path)
            .Select(ExportTraceServiceRequest.Parser.ParseFrom)
            .SelectMany(r => r.ResourceSpans)
            .SelectMany(r => r.ScopeSpans)
            .SelectMany(s => s.Spans)];

    /// <summary>The spans of one instrumentation scope (an ActivitySource's name, e.g. <c>Npgsql</c>) received on <paramref name="path"/>.</summary>
    public static IReadOnlyList<Span> SpansOf(this OtlpReceiver receiver, string scope, string path = "/v1/traces") =>
        [.. receiver.Received(path)
            .Select(ExportTraceServiceRequest.Parser.ParseFrom)
            .SelectMany(r => r.ResourceSpans)
            .SelectMany(r => r.ScopeSpans)
            .Where(s => s.Scope?.Name == scope)
            .SelectMany(s => s.Spans)];

    /// <summary>Every metric received on <paramref name="path"/>, across all requests (one per export and name).</summary>
    public static IReadOnlyList<Metric> Metrics(this OtlpReceiver receiver, string path = "/v1/metrics") =>
        [.. receiver.Received(path)
            .Select(ExportMetricsServiceRequest.Parser.ParseFrom)
            .SelectMany(r => r.ResourceMetrics)
            .SelectMany(r => r.ScopeMetrics)
            .SelectMany(s => s.Metrics)];

    public static IReadOnlyDictionary<string, object> Attributes(this Span span) => Attributes(span.Attributes);

    public static IReadOnlyDictionary<string, object> Attributes(this NumberDataPoint point) => Attributes(point.Attributes);

    public static IReadOnlyDictionary<string, object> Attributes(this HistogramDataPoint point) => Attributes(point.Attributes);

    /// <summary>The trace or span id as the W3C traceparent header (and .NET's Activity) write it: lower-case hex.</summary>
    public static string Hex(this Google.Protobuf.ByteString id) => Convert.ToHexStringLower(id.Span);

    private static Dictionary<string, object> Attributes(IEnumerable<KeyValue> attributes) =>
        attributes.ToDictionary(a => a.Key, a => Value(a.Value), StringComparer.Ordinal);

    private static object Value(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue,
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
        _ => value.ToString(),
    };
}

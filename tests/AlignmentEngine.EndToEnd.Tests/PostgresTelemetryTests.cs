using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;
using static AlignmentEngine.Storage.Tests.Support.Requests;

namespace AlignmentEngine.EndToEnd.Tests;

/// <summary>
/// <c>okr serve</c> on PostgreSQL with an OTLP endpoint: the database's own spans (Npgsql.OpenTelemetry, one per
/// command) are exported in the trace of the call that ran them, under its server span, and only there: the change
/// log's polls, which no call asked for, make none.
/// </summary>
public sealed class PostgresTelemetryTests
{
    [Test]
    public async Task Serve_OnPostgres_ExportsNpgsqlSpansUnderTheRpcSpan_AndNoneForItsPolls()
    {
        var location = new PostgresProvider().NewLocation();
        using var receiver = new OtlpReceiver();
        using (var server = OkrServer.Start(location, "--otlp-endpoint", receiver.Endpoint.ToString()))
        {
            await server.Client.ApplyChangesAsync(Changes("otel", Upsert(Goals.Objective("C1"))));

            // Background store work (webhook outboxes, health probes) may run meanwhile: it must export no span of its own.
            await Task.Delay(TimeSpan.FromSeconds(1));
            server.Terminate(TimeSpan.FromSeconds(30)).Should().Be(0); // the spans are flushed on the way out
        }

        var spans = receiver.Spans().ToDictionary(s => s.SpanId);
        var call = spans.Values.Single(s => s.Name == "okr.alignment.v1.AlignmentService/ApplyChanges");
        var append = spans.Values.Single(s => s.Name == "Append postgresql");
        RootOf(append).Should().Be(call.SpanId.Hex(), "the store's transaction runs for the call (through the tenant grain's call)");
        var npgsql = receiver.SpansOf("Npgsql");
        npgsql.Should().Contain(s => s.ParentSpanId == append.SpanId
            && ((string)s.Attributes()["db.query.text"]).StartsWith("INSERT INTO change_log", StringComparison.Ordinal)
            && (string)s.Attributes()["db.system.name"] == "postgresql", "the commit's insert is a span of the store's transaction");

        // Every PostgreSQL span descends from the call's server span.
        foreach (var span in npgsql) RootOf(span).Should().Be(call.SpanId.Hex(), $"'{span.Attributes()["db.query.text"]}' runs for the call, not on its own");

        string RootOf(OpenTelemetry.Proto.Trace.V1.Span span)
        {
            while (!span.ParentSpanId.IsEmpty && spans.TryGetValue(span.ParentSpanId, out var parent)) span = parent;
            return span.SpanId.Hex();
        }
    }
}

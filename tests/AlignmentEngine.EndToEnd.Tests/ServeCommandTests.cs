using AlignmentEngine.Api.V1;
using AlignmentEngine.Storage;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;
using static AlignmentEngine.Storage.Tests.Support.Requests;

namespace AlignmentEngine.EndToEnd.Tests;

/// <summary><c>okr serve --store</c> as a process: what it refuses, and how it stops.</summary>
public sealed class ServeCommandTests
{
    [Test]
    public async Task Serve_StoreWithNewerSchema_RefusesToStart()
    {
        var location = new SqliteProvider().NewLocation();
        using (var store = AlignmentStores.Open(location)) await store.MigrateAsync();
        await RawDatabase.ExecuteAsync(location, "INSERT INTO schema_version (version, name) VALUES (42, 'newer')");

        var (exitCode, error) = OkrServer.Refused(location);

        exitCode.Should().Be(2);
        error.Should().Contain("schema version 42");
    }

    [Test]
    public void Serve_NotAStoreLocation_IsAUsageError()
    {
        var (exitCode, error) = OkrServer.Refused("mysql:somewhere");

        exitCode.Should().Be(2);
        error.Should().Contain("sqlite:PATH, postgres:CONNECTION-STRING").And.Contain("sqlserver:CONNECTION-STRING");
    }

    [Test]
    public async Task Serve_OtlpEndpoint_ExportsTheCallsSpans()
    {
        using var receiver = new OtlpReceiver();
        using (var server = OkrServer.Start(new SqliteProvider().NewLocation(), "--otlp-endpoint", receiver.Endpoint.ToString()))
        {
            await server.Client.ApplyChangesAsync(Changes("otel", Upsert(Goals.Objective("C1"))));
            server.Terminate(TimeSpan.FromSeconds(30)).Should().Be(0); // the spans are flushed on the way out
        }

        var traces = string.Concat(receiver.Received("/v1/traces").Select(b => System.Text.Encoding.UTF8.GetString(b)));
        traces.Should().Contain("okr.alignment.v1.AlignmentService/ApplyChanges");
    }

    // Regression: the server used to wait on the command line's cancellation alone, which a signal taken by the
    // host's console lifetime never set; SIGTERM left it running.
    [Test]
    public async Task Serve_Sigterm_ExitsCleanlyAndKeepsWhatWasWritten()
    {
        var location = new SqliteProvider().NewLocation();
        using (var server = OkrServer.Start(location))
        {
            await server.Client.ApplyChangesAsync(Changes("term", Upsert(Goals.Objective("C1"))));

            server.Terminate(TimeSpan.FromSeconds(30)).Should().Be(0);
        }

        using var again = OkrServer.Start(location);
        (await again.Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/term/goals/C1" })).Version.Should().Be(1);
    }
}

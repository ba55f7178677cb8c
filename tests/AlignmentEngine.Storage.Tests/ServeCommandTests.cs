using AlignmentEngine.Api.V1;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;
using static AlignmentEngine.Storage.Tests.Support.Requests;

namespace AlignmentEngine.Storage.Tests;

/// <summary><c>okr serve --store</c> as a process: what it refuses, and how it stops.</summary>
public sealed class ServeCommandTests
{
    [Test]
    public void Serve_StoreWithNewerSchema_RefusesToStart()
    {
        var location = new SqliteProvider().NewLocation();
        using (var store = AlignmentStores.Open(location)) store.Migrate();
        RawDatabase.Execute(location, "INSERT INTO schema_version (version, name) VALUES (42, 'newer')");

        var (exitCode, error) = OkrServer.Refused(location);

        exitCode.Should().Be(2);
        error.Should().Contain("schema version 42");
    }

    [Test]
    public void Serve_NotAStoreLocation_IsAUsageError()
    {
        var (exitCode, error) = OkrServer.Refused("mysql:somewhere");

        exitCode.Should().Be(2);
        error.Should().Contain("sqlite:PATH or postgres:CONNECTION-STRING");
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

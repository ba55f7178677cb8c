using AlignmentEngine.Api.V1;
using AlignmentEngine.Tests.Shared;
using static AlignmentEngine.Tests.Shared.ShutdownCalls;

namespace AlignmentEngine.EndToEnd.Tests;

/// <summary><c>okr serve</c> stopped by SIGTERM: calls in flight finish however long they take, new ones are refused, the process exits 0.</summary>
public sealed class SigtermTests : ScratchStoreTests
{
    [Test]
    public async Task Sigterm_WhileACallIsInFlight_OkrServeFinishesIt_RefusesNewCalls_AndExitsCleanly()
    {
        var goals = ImportGoals(200);
        long version;
        using (var server = OkrServer.Start(Store))
        {
            using var import = server.Client.ImportTree();
            await import.RequestStream.WriteAsync(ImportMessage(goals[..100], "tenants/inflight"));
            await server.Client.ValidateTreeAsync(new ValidateTreeRequest { Tree = new Api.V1.GoalTree() });

            server.SendTerminate();

            await RefusedAsync(() => server.Client.ValidateTreeAsync(new ValidateTreeRequest { Tree = new Api.V1.GoalTree() }).ResponseAsync, "a new call");

            // A drain longer than any fixed grace: the command line's own signal handling once exited 143 after 2 s.
            await Task.Delay(TimeSpan.FromSeconds(3));
            await import.RequestStream.WriteAsync(ImportMessage(goals[100..], parent: null));
            await import.RequestStream.CompleteAsync();
            version = (await import.ResponseAsync).Version;
            server.WaitForExit(TimeSpan.FromSeconds(60)).Should().Be(0);
        }

        // What the import acknowledged is there for the next process.
        using var again = OkrServer.Start(Store);
        var listed = await again.Client.ListGoalsAsync(new ListGoalsRequest { Parent = "tenants/inflight", PageSize = 1000 });
        listed.TotalSize.Should().Be(goals.Count);
        listed.Version.Should().Be(version);
    }
}

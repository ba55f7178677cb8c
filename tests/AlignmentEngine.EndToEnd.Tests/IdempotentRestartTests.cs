using AlignmentEngine.Api.V1;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.EndToEnd.Tests;

/// <summary>
/// A write with a request_id, then <c>okr serve</c> SIGKILLed (as when the client never got its answer), and the write
/// retried through a new process on the same SQLite store: the same answer, and the version did not move.
/// </summary>
public sealed class IdempotentRestartTests : ScratchStoreTests
{
    [Test]
    public async Task WriteRetriedAfterKillAndRestart_AnswersTheOriginal_VersionUnchanged()
    {
        var request = Requests.Changes("retry", Requests.Upsert(Goals.Objective("C1")), Requests.Upsert(Goals.KeyResult("KR1", 40, new Core.ParentLink("C1", 1))));
        request.RequestId = Guid.NewGuid().ToString();
        ApplyChangesResponse original;
        using (var server = OkrServer.Start(Store))
        {
            original = await server.Client.ApplyChangesAsync(request);
            server.Kill();
        }

        using var again = OkrServer.Start(Store);
        var retried = await again.Client.ApplyChangesAsync(request);

        retried.Should().Be(original);
        (await again.Client.ListGoalsAsync(new ListGoalsRequest { Parent = "tenants/retry", PageSize = 1 })).Version.Should().Be(original.Version, "the retry applied nothing");
    }
}

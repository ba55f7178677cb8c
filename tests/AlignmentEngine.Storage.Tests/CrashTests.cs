using AlignmentEngine.Api.V1;
using AlignmentEngine.Core;
using Grpc.Core;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;
using static AlignmentEngine.Storage.Tests.Support.Requests;
using GoalTree = AlignmentEngine.Core.GoalTree;
using ParentLink = AlignmentEngine.Core.ParentLink;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// The real server, killed with SIGKILL while a client streams ApplyChanges, restarted on the same store (each
/// database that is available): every change it acknowledged is there, nothing is half-applied, and at most the one
/// change in flight at the kill was committed without its acknowledgement reaching the client.
/// </summary>
[TestFixture(typeof(SqliteProvider))]
[TestFixture(typeof(PostgresProvider))]
[TestFixture(typeof(SqlServerProvider))]
public sealed class CrashTests<TProvider>
    where TProvider : IStoreProvider, new()
{
    private const int Rounds = 2;

    [Test]
    public async Task ApplyChanges_ServerKilledMidStream_EveryAcknowledgedChangeSurvivesAndNoneIsHalfApplied()
    {
        var location = new TProvider().NewLocation();
        var acknowledged = new List<long>();
        var operations = 0;
        for (var round = 0; round < Rounds; round++)
        {
            using var server = OkrServer.Start(location);
            if (round == 0) await server.Client.ApplyChangesAsync(Changes("crash", Upsert(Goals.Objective("C1"))));
            var baseVersion = round == 0 ? 1 : (await ExportAsync(server.Client, "crash")).Version;
            operations = checked((int)(baseVersion - 1));

            // The client writes as fast as it can; the server is killed once enough writes were acknowledged.
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                for (var k = operations + 1; ; k++)
                {
                    try
                    {
                        var response = await server.Client.ApplyChangesAsync(Operation(k));
                        lock (acknowledged) acknowledged.Add(response.Version);
                    }
                    catch (RpcException) when (stop.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception e) when (stop.IsCancellationRequested && e is HttpRequestException or IOException or OperationCanceledException)
                    {
                        return;
                    }
                }
            });
            await Eventually.HoldsAsync(() => Task.FromResult(Acknowledged() >= baseVersion + 150), TimeSpan.FromSeconds(60), "150 acknowledged writes");
            stop.Cancel();
            server.Kill();
            await writer;
        }

        using var restarted = OkrServer.Start(location);
        var (version, goals) = await ExportAsync(restarted.Client, "crash");
        var last = Acknowledged();

        version.Should().BeInRange(last, last + 1, "every acknowledged change is there; at most the one in flight was committed unacknowledged");
        acknowledged.Should().OnlyHaveUniqueItems().And.BeInAscendingOrder();
        var expected = Expected(checked((int)(version - 1)));
        goals.Should().Equal(expected.Goals.Select(g => ToProto.Goal("crash", g, null)), "the tree is exactly the first {0} changes, whole", version - 1);

        // The served roll-ups are those of the exported tree, rebuilt here: no change is half-applied in the graph.
        // Tomorrow (the server's clock is the real one): the tree as it stands, not as it stood.
        var asOf = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);
        var graph = AlignmentGraph.Build(expected).Graph!;
        var rollup = await restarted.Client.GetRollupAsync(new GetRollupRequest { Name = "tenants/crash/goals/C1", AsOf = Date(asOf) });
        rollup.Status.Progress.Should().Be(graph.GetResult("C1", asOf)!.Progress);
        rollup.Contributions.Select(c => (c.Child.GoalId, c.Child.Progress)).Should().Equal(
            graph.ChildrenOf("C1").Select(id => (id, graph.GetResult(id, asOf)!.Progress)));

        long Acknowledged()
        {
            lock (acknowledged) return acknowledged.Count == 0 ? 0 : acknowledged[^1];
        }
    }

    /// <summary>Change k (from 1): odd ones add key result KRk, even ones check in a value on KR(k-1).</summary>
    private static ApplyChangesRequest Operation(int k) => k % 2 == 1
        ? Changes("crash", Upsert(Goals.KeyResult($"KR{k:D5}", 0, new ParentLink("C1", 1 + (k % 4)))))
        : Changes("crash", CheckIn($"KR{k - 1:D5}", k));

    /// <summary>The tree after the objective and the first <paramref name="count"/> operations, written out directly.</summary>
    private static GoalTree Expected(int count)
    {
        var goals = new List<Core.GoalDefinition> { Goals.Objective("C1") };
        for (var k = 1; k <= count; k += 2)
        {
            var checkedIn = k + 1 <= count ? k + 1 : 0;
            goals.Add(Goals.KeyResult($"KR{k:D5}", checkedIn, new ParentLink("C1", 1 + (k % 4))));
        }

        return new GoalTree { Goals = [.. goals.OrderBy(g => g.Id, StringComparer.Ordinal)] };
    }
}

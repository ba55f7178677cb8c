using AlignmentEngine.Api.V1;
using Grpc.Core;
using AlignmentEngine.Storage.Tests.Support;
using static AlignmentEngine.Storage.Tests.Support.Requests;

namespace AlignmentEngine.Storage.Tests;

/// <summary>A restart comes back to exactly the state that was acknowledged, on each database.</summary>
[TestFixture(typeof(SqliteProvider))]
[TestFixture(typeof(PostgresProvider))]
[TestFixture(typeof(SqlServerProvider))]
public sealed class RestartTests<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Test]
    public async Task Restart_AfterImportsAndEveryKindOfChange_ServesTheSameTreesVersionsAndRollups()
    {
        var location = new TProvider().NewLocation();
        // Both runs at one instant, before as_of: the roll-up asked for is of the tree as it stands.
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var asOf = Requests.Date(new DateOnly(2026, 6, 30));
        (long, List<Api.V1.Goal>) exportA, exportB;
        GetRollupResponse rollup;
        AnalyzeAlignmentResponse analysis;
        await using (var first = await TestServer.StartAsync(location, clock))
        {
            var client = first.Client;
            await ImportAsync(client, "a", Goals.Company(20));
            await client.ApplyChangesAsync(Changes("a", CheckIn("KR0000001", 55), CheckIn("KR0000002", 65)));
            await client.ApplyChangesAsync(Changes("a",
                Upsert(Goals.Company("C2")),
                Upsert(Goals.KeyResult("NEW", 12, new Core.ParentLink("C1", 4), new Core.ParentLink("C2", 1, false))),
                new Api.V1.GoalChange { RemoveGoal = new RemoveGoal { GoalId = "KR0000020" } },
                new Api.V1.GoalChange { SetState = new Api.V1.SetState { GoalId = "KR0000003", State = Api.V1.GoalState.Paused } },
                new Api.V1.GoalChange { SetWeight = new Api.V1.SetWeight { GoalId = "KR0000004", ParentGoalId = "C1", Weight = 9 } },
                new Api.V1.GoalChange { AddEdge = new AddEdge { GoalId = "KR0000005", Link = new Api.V1.ParentLink { ParentGoalId = "C2", Weight = 2 } } },
                new Api.V1.GoalChange { SetOverride = new Api.V1.SetOverride { GoalId = "C2", ProgressOverride = 0.4 } }));
            var checkIns = new RecordCheckInsRequest { Parent = "tenants/a" };
            checkIns.CheckIns.Add(new Api.V1.CheckIn { GoalId = "KR0000006", Value = 99 });
            await client.RecordCheckInsAsync(checkIns);

            // Refused changes leave nothing behind, in memory or in the store.
            var cycle = () => client.ApplyChangesAsync(Changes("a", new Api.V1.GoalChange { AddEdge = new AddEdge { GoalId = "C1", Link = new Api.V1.ParentLink { ParentGoalId = "NEW" } } })).ResponseAsync;
            (await cycle.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.FailedPrecondition);

            await client.ApplyChangesAsync(Changes("b", Upsert(Goals.Objective("B1"))));
            exportA = await ExportAsync(client, "a");
            exportB = await ExportAsync(client, "b");
            rollup = await client.GetRollupAsync(new GetRollupRequest { Name = "tenants/a/goals/C1", AsOf = asOf });
            analysis = await client.AnalyzeAlignmentAsync(new AnalyzeAlignmentRequest { Parent = "tenants/a", AsOf = asOf });
        }

        await using var second = await TestServer.StartAsync(location, clock);

        var againA = await ExportAsync(second.Client, "a");
        var againB = await ExportAsync(second.Client, "b");
        againA.Version.Should().Be(4);
        againA.Version.Should().Be(exportA.Item1);
        againA.Goals.Should().Equal(exportA.Item2);
        againB.Version.Should().Be(exportB.Item1);
        againB.Goals.Should().Equal(exportB.Item2);
        (await second.Client.GetRollupAsync(new GetRollupRequest { Name = "tenants/a/goals/C1", AsOf = asOf })).Should().Be(rollup);
        (await second.Client.AnalyzeAlignmentAsync(new AnalyzeAlignmentRequest { Parent = "tenants/a", AsOf = asOf })).Should().Be(analysis);
    }

    [Test]
    public async Task Restart_WritesContinueFromTheStoredVersion()
    {
        var location = new TProvider().NewLocation();
        await using (var first = await TestServer.StartAsync(location))
        {
            await first.Client.ApplyChangesAsync(Changes("v", Upsert(Goals.Objective("C1"))));
            await first.Client.ApplyChangesAsync(Changes("v", Upsert(Goals.KeyResult("K", 1, new Core.ParentLink("C1")))));
        }

        await using var second = await TestServer.StartAsync(location);
        var stale = Changes("v", CheckIn("K", 2));
        stale.ExpectedVersion = 1;
        var current = Changes("v", CheckIn("K", 3));
        current.ExpectedVersion = 2;

        (await second.Client.Invoking(c => c.ApplyChangesAsync(stale).ResponseAsync).Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Aborted);
        (await second.Client.ApplyChangesAsync(current)).Version.Should().Be(3);
    }
}

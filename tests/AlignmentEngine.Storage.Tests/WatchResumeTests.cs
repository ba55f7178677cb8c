using AlignmentEngine.Api.V1;
using AlignmentEngine.Storage.Tests.Support;
using Grpc.Core;
using static AlignmentEngine.Storage.Tests.Support.Requests;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// A watch resumes after a restart from any version in the store's change log: the changes the new process never
/// held in memory are replayed from the log, each with the outcome its commit answered, then new ones follow live.
/// </summary>
[TestFixture(typeof(SqliteProvider))]
[TestFixture(typeof(PostgresProvider))]
[TestFixture(typeof(SqlServerProvider))]
public sealed class WatchResumeTests<TProvider>
    where TProvider : IStoreProvider, new()
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task WatchRollups_SinceVersionsBeforeARestart_ReplaysEachChangeFromTheStoreThenFollowsLive()
    {
        var location = new TProvider().NewLocation();
        var committed = new List<ApplyChangesResponse>();
        await using (var first = await TestServer.StartAsync(location))
        {
            await ImportAsync(first.Client, "w", Goals.Company(4));
            for (var k = 1; k <= 5; k++)
            {
                committed.Add(await first.Client.ApplyChangesAsync(Changes("w", CheckIn($"KR000000{k % 4 + 1}", 10 * k))));
            }
        }

        committed.Select(c => c.Version).Should().Equal(2, 3, 4, 5, 6);
        await using var second = await TestServer.StartAsync(location);
        using var cancel = new CancellationTokenSource(Patience);

        // The case: one version behind, after a restart.
        using (var one = second.Client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/w", SinceVersion = 5 }, new CallOptions(cancellationToken: cancel.Token)))
        {
            (await one.ResponseStream.MoveNext(cancel.Token)).Should().BeTrue();
            one.ResponseStream.Current.Version.Should().Be(6);
            one.ResponseStream.Current.Outcome.Should().Be(committed[^1].Outcome, "the replayed change has the outcome its commit answered");
        }

        // From the very start: the import, every change, then a new commit as it happens.
        using var all = second.Client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/w", SinceVersion = 0 }, new CallOptions(cancellationToken: cancel.Token));
        var seen = new List<WatchRollupsResponse>();
        while (seen.Count < 6 && await all.ResponseStream.MoveNext(cancel.Token)) seen.Add(all.ResponseStream.Current);
        var live = await second.Client.ApplyChangesAsync(Changes("w", CheckIn("KR0000001", 99)));
        (await all.ResponseStream.MoveNext(cancel.Token)).Should().BeTrue();
        seen.Add(all.ResponseStream.Current);

        seen.Select(e => e.Version).Should().Equal(1, 2, 3, 4, 5, 6, 7);
        seen[0].TreeReplaced.Should().BeTrue();
        seen.Skip(1).Take(5).Select(e => e.Outcome).Should().Equal(committed.Select(c => c.Outcome));
        seen[^1].Outcome.Should().Be(live.Outcome);
    }
}

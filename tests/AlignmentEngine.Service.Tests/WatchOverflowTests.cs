using System.Diagnostics.Metrics;
using AlignmentEngine.Api.V1;
using Grpc.Core;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// A watcher whose client stops reading while its tenant changes many times, over real HTTP/2 with the generated
/// client. Its stream fills the transport's flow-control windows, the watch's writes wait, and the queue of pushes
/// overflows; when the client reads again it receives every version once, in order, without waiting for a renewal
/// (ten minutes here, so only the replay of what the queue dropped can bring the versions it missed).
/// </summary>
public sealed class WatchOverflowTests : ServerFixture
{
    private const string Tenant = "watch-overflow";
    private const int KeyResults = 200;
    private const int Writes = 150;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected override void Configure(AlignmentServiceOptions options) => options.WatchResubscribePeriod = TimeSpan.FromMinutes(10);

    [Test]
    public async Task Watcher_ThatStopsReading_WhileManyChangesCommit_GetsEveryVersionOnceInOrder_ByReplay()
    {
        long overflows = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "okr.watch.overflows") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "okr.tenant", Value: Tenant }) Interlocked.Add(ref overflows, value);
            }
        });
        listener.Start();

        // Each write checks in on every key result: a change of 201 goals, about 7 KB on the watch's stream.
        var tree = new Api.V1.GoalTree { Goals = { Objective("C1", Api.V1.GoalLevel.Company) } };
        tree.Goals.AddRange(Enumerable.Range(0, KeyResults).Select(k => KeyResult($"KR{k:D3}", "C1", 0, Writes)));
        var start = (await ImportAsync(Tenant, tree, chunk: 100)).Version;

        using var cancel = new CancellationTokenSource(Patience);
        using var watch = Client.WatchRollups(new WatchRollupsRequest { Parent = $"tenants/{Tenant}" }, new CallOptions(cancellationToken: cancel.Token));
        await watch.ResponseHeadersAsync;

        // The client reads nothing while the tenant commits every write.
        for (var v = 1; v <= Writes; v++)
        {
            await Client.ApplyChangesAsync(Changes(Tenant, [.. Enumerable.Range(0, KeyResults).Select(k => CheckIn($"KR{k:D3}", v))]));
        }

        // The pushes are one-way calls: the last ones may still be on their way to the watch's queue.
        while (Interlocked.Read(ref overflows) == 0 && !cancel.IsCancellationRequested) await Task.Delay(20);
        Interlocked.Read(ref overflows).Should().BePositive("the watch's queue of pushes overflowed while its client did not read");

        var versions = new List<long>();
        while (versions.Count < Writes && await watch.ResponseStream.MoveNext(cancel.Token)) versions.Add(watch.ResponseStream.Current.Version);
        versions.Should().Equal(Enumerable.Range(1, Writes).Select(v => start + v), "every version once, in order, those dropped from the queue replayed");
        watch.ResponseStream.Current.Outcome.Goals.Single(g => g.GoalId == "C1").After.Progress.Should().BeApproximately(1.0, 1e-12);
    }
}

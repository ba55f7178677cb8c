using AlignmentEngine.Api.V1;
using AlignmentEngine.Service.Tenants;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentEngine.Service.Tests;

public sealed class WatchTests : ServerFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // Renewed often, so a watch across a reload is not slow to test.
    protected override void Configure(AlignmentServiceOptions options) => options.WatchResubscribePeriod = TimeSpan.FromSeconds(1);

    [Test]
    public async Task WatchRollups_ChangesAfterSubscribing_ArriveInOrderWithTheirOutcome()
    {
        using var cancel = new CancellationTokenSource(Patience);
        var (watch, version) = await SeededAndWatchedAsync("watch-order", cancel.Token);
        using var _ = watch;

        for (var v = 1; v <= 3; v++) await Client.ApplyChangesAsync(Changes("watch-order", CheckIn("KR2", v)));

        var seen = new List<WatchRollupsResponse>();
        while (seen.Count < 3 && await watch.ResponseStream.MoveNext(cancel.Token)) seen.Add(watch.ResponseStream.Current);
        seen.Select(e => e.Version).Should().Equal(version + 1, version + 2, version + 3);
        seen[0].Outcome.Goals.Single(g => g.GoalId == "KR2").After.Progress.Should().BeApproximately(0.1, 1e-12);
        seen[2].Outcome.Goals.Single(g => g.GoalId == "C1").After.Progress.Should().BeApproximately(0.4, 1e-12);
    }

    [Test]
    public async Task WatchRollups_ReconnectingFromAVersion_MissesNothing()
    {
        var start = await SeedCompanyAsync("watch-resume");
        await Client.ApplyChangesAsync(Changes("watch-resume", CheckIn("KR1", 6)));
        await Client.ApplyChangesAsync(Changes("watch-resume", Archive("KR2")));

        // A client that saw `start` reconnects: first the two changes it missed, then new ones as they happen.
        using var cancel = new CancellationTokenSource(Patience);
        using var watch = Client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/watch-resume", SinceVersion = start }, new CallOptions(cancellationToken: cancel.Token));
        var versions = new List<long>();
        while (versions.Count < 2 && await watch.ResponseStream.MoveNext(cancel.Token)) versions.Add(watch.ResponseStream.Current.Version);
        await Client.ApplyChangesAsync(Changes("watch-resume", CheckIn("KR1", 7)));
        (await watch.ResponseStream.MoveNext(cancel.Token)).Should().BeTrue();
        versions.Add(watch.ResponseStream.Current.Version);

        versions.Should().Equal(start + 1, start + 2, start + 3);
    }

    [Test]
    public async Task WatchRollups_Subtree_SeesOnlyGoalsBeneathIt()
    {
        await SeedCompanyAsync("watch-subtree");
        await Client.ApplyChangesAsync(Changes("watch-subtree", Upsert(Objective("C2", Api.V1.GoalLevel.Company)), Upsert(KeyResult("C2.KR", "C2", 0, 10, 0))));
        using var cancel = new CancellationTokenSource(Patience);
        using var watch = Client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/watch-subtree", SubtreeGoalId = "C2" }, new CallOptions(cancellationToken: cancel.Token));
        await watch.ResponseHeadersAsync;

        await Client.ApplyChangesAsync(Changes("watch-subtree", CheckIn("KR1", 9)));
        await Client.ApplyChangesAsync(Changes("watch-subtree", CheckIn("C2.KR", 5)));

        (await watch.ResponseStream.MoveNext(cancel.Token)).Should().BeTrue();
        watch.ResponseStream.Current.Outcome.Goals.Should().BeEmpty("KR1 is not under C2");
        (await watch.ResponseStream.MoveNext(cancel.Token)).Should().BeTrue();
        watch.ResponseStream.Current.Outcome.Goals.Select(g => g.GoalId).Should().Equal("C2", "C2.KR");
    }

    [Test]
    public async Task WatchRollups_AcrossAReloadOfTheTenant_MissesNothing()
    {
        using var cancel = new CancellationTokenSource(Patience);
        var (watch, start) = await SeededAndWatchedAsync("watch-reload", cancel.Token);
        using var _ = watch;
        await Client.ApplyChangesAsync(Changes("watch-reload", CheckIn("KR1", 1)));
        (await watch.ResponseStream.MoveNext(cancel.Token)).Should().BeTrue();
        var versions = new List<long> { watch.ResponseStream.Current.Version };

        // The tenant's grain is deactivated with the watcher's subscription; the activation the next writes load knows
        // of the watcher only once it renews, and the watch replays what it missed meanwhile.
        var directory = Services.GetRequiredService<TenantDirectory>();
        await Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        while (directory.Loaded.Any(t => t.Id == "watch-reload")) await Task.Delay(20, cancel.Token);
        await Client.ApplyChangesAsync(Changes("watch-reload", CheckIn("KR1", 2)));
        await Client.ApplyChangesAsync(Changes("watch-reload", CheckIn("KR1", 3)));
        while (versions.Count < 3 && await watch.ResponseStream.MoveNext(cancel.Token)) versions.Add(watch.ResponseStream.Current.Version);

        versions.Should().Equal(start + 1, start + 2, start + 3);
    }

    [Test]
    public void WatchRollups_VersionAheadOfTheTenant_IsInvalidArgument()
    {
        var error = Assert.ThrowsAsync<RpcException>(async () =>
        {
            await SeedCompanyAsync("watch-ahead");
            using var watch = Client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/watch-ahead", SinceVersion = 99 });
            await watch.ResponseStream.MoveNext();
        });

        error!.StatusCode.Should().Be(StatusCode.InvalidArgument);
    }

    /// <summary>A tenant seeded with the company tree, and a watch on it that has its headers (its subscription stands); the seeded version.</summary>
    private async Task<(AsyncServerStreamingCall<WatchRollupsResponse> Watch, long Version)> SeededAndWatchedAsync(string tenant, CancellationToken cancellationToken)
    {
        var version = await SeedCompanyAsync(tenant);
        var watch = Client.WatchRollups(new WatchRollupsRequest { Parent = $"tenants/{tenant}" }, new CallOptions(cancellationToken: cancellationToken));
        await watch.ResponseHeadersAsync;
        return (watch, version);
    }
}

using AlignmentEngine.Api.V1;
using Grpc.Core;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Storage;

namespace AlignmentEngine.Service.Tests;

/// <summary>Watchers per tenant and the per-key rate limit, through the real server: RESOURCE_EXHAUSTED naming the limit.</summary>
public sealed class LimitTests : ServerFixture
{
    private const int Burst = 5;

    protected override void Configure(AlignmentServiceOptions options)
    {
        options.ApiKeyCacheTime = TimeSpan.Zero;
        options.MaxWatchersPerTenant = 2;
        options.MaxReceiveMessageSize = 4096;
        options.RateLimitPerKey = 1;
        options.RateLimitBurst = Burst;
    }

    private async Task<string> NewKeyAsync(string tenant)
    {
        using var store = AlignmentStores.Open(StoreLocation);
        return (await ApiKeys.CreateAsync(store, tenant, [ApiScopes.Admin], DateTimeOffset.UtcNow)).Text;
    }

    private static CallOptions As(string key) => new(new Metadata { { "authorization", $"Bearer {key}" } });

    [Test]
    public async Task Watchers_BeyondTheLimit_ResourceExhausted_AndASlotFreesWhenAStreamEnds()
    {
        // One key per watcher: the rate limit is not what this test is about.
        var keys = new List<string>();
        for (var k = 0; k < 4; k++) keys.Add(await NewKeyAsync("watched"));
        var request = new WatchRollupsRequest { Parent = "tenants/watched" };
        using var first = Client.WatchRollups(request, As(keys[0]));
        var second = Client.WatchRollups(request, As(keys[1]));
        await first.ResponseHeadersAsync;
        await second.ResponseHeadersAsync;

        var error = Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var third = Client.WatchRollups(request, As(keys[2]));
            await third.ResponseStream.MoveNext(CancellationToken.None);
        })!;
        error.StatusCode.Should().Be(StatusCode.ResourceExhausted);
        error.Status.Detail.Should().Contain("max_watchers_per_tenant").And.Contain("okr serve --max-watchers-per-tenant");

        // Another tenant has slots of its own.
        using (var other = Client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/elsewhere" }, As(await NewKeyAsync("elsewhere"))))
        {
            await other.ResponseHeadersAsync;
        }

        second.Dispose();
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var again = Client.WatchRollups(request, As(keys[3]));
            try
            {
                await again.ResponseHeadersAsync;
                using var shortly = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                try
                {
                    await again.ResponseStream.MoveNext(shortly.Token);
                    Assert.Fail("the watch ended, or sent an event, where it should have waited for changes");
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
                {
                    break; // admitted: waiting for changes, as a watcher does
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < until)
            {
                await Task.Delay(100); // the cancelled stream's slot is freed when the server sees the reset
            }
        }
    }

    [Test]
    public void MessageLargerThanTheLimit_ResourceExhausted_BeforeTheKeyIsLookedAt()
    {
        var goal = Objective("BIG", GoalLevel.Company);
        goal.Title = new string('x', 8192);

        var error = Assert.ThrowsAsync<RpcException>(() => Client.ApplyChangesAsync(Changes("big", Upsert(goal))).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.ResourceExhausted);
        error.Status.Detail.Should().Contain("max_receive_message_size");
    }

    [Test]
    public async Task RateLimit_BurstThenResourceExhausted_PerKey()
    {
        var key = await NewKeyAsync("limited");
        var other = await NewKeyAsync("limited");
        await Client.ApplyChangesAsync(Changes("limited", Upsert(Objective("C1", GoalLevel.Company))), As(other));
        var request = new GetGoalRequest { Name = "tenants/limited/goals/C1" };

        for (var k = 0; k < Burst; k++) await Client.GetGoalAsync(request, As(key));
        var error = Assert.ThrowsAsync<RpcException>(() => Client.GetGoalAsync(request, As(key)).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.ResourceExhausted);
        error.Status.Detail.Should().Contain("rate_limit_per_key").And.Contain("okr serve --rate-limit-per-key");
        (await Client.GetGoalAsync(request, As(other))).Goal.GoalId.Should().Be("C1", "another key has a bucket of its own");
    }
}

using AlignmentEngine.Api.V1;
using AlignmentEngine.Service.Capacity;
using AlignmentEngine.Service.Pipeline;
using AlignmentEngine.Service.Tenants;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using static AlignmentEngine.Service.Tests.GrainClusterCalls;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// One silo of this service (Orleans' TestingHost) with a budget of 1,000 resident goals and one load at a time: over
/// the budget the least recently called tenant is deactivated and reloads with every write on its next call; a tenant
/// alone over the budget still answers; a tenant with webhook subscriptions is never evicted; activations wait for the
/// load slot.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SiloBudgetTests
{
    private const int Budget = 1_000;

    // Short, for the test of an activation that waits too long; still ample for these small tenants' loads.
    private const int ActivationTimeoutSeconds = 10;

    private BudgetedTestCluster _budgeted = null!;

    private TestCluster Cluster => _budgeted.Cluster;

    private SiloHandle Silo => Cluster.Primary!;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _budgeted = await BudgetedTestCluster.Start(new Dictionary<string, int> { ["Primary"] = Budget }, loads: 1, activationTimeoutSeconds: ActivationTimeoutSeconds);
        Residents(Silo).Budget.Should().Be(Budget, "the test silo is configured by its name");
    }

    [OneTimeTearDown]
    public Task StopCluster() => _budgeted.DisposeAsync().AsTask();

    [SetUp]
    public Task StartEmpty() => DeactivateIdle(Cluster);

    [Test]
    public async Task OverBudget_TheLeastRecentlyCalledTenantIsDeactivated_AndReloadsWithEveryWrite()
    {
        await Write(Silo, "lru-a", 200, "A");
        var last = await Write(Silo, "lru-a", 200, "B");
        await Write(Silo, "lru-b", 400);
        await Read(Silo, "lru-a", "A0");
        var evictions = Residents(Silo).Evictions;

        await Write(Silo, "lru-c", 400);

        await Until(() => !Residents(Silo).Holds("lru-b"), "lru-b, called least recently, to be deactivated");
        Residents(Silo).Holds("lru-a").Should().BeTrue();
        Residents(Silo).Holds("lru-c").Should().BeTrue();
        Residents(Silo).Evictions.Should().Be(evictions + 1);

        // lru-b reloads on its next call; to make room, lru-a goes now: it was called before lru-c.
        (await Read(Silo, "lru-b", "G399")).Version.Should().Be(1);
        await Until(() => !Residents(Silo).Holds("lru-a"), "lru-a, now the least recently called, to be deactivated");
        var reloaded = await Read(Silo, "lru-a", "B199");
        reloaded.Version.Should().Be(last.Version, "the reload has every committed write");
        Residents(Silo).SizeOf("lru-a").Should().Be(400);
    }

    [Test]
    public async Task TenantAloneOverTheBudget_StillAnswers_AndEveryOtherIsDeactivated()
    {
        await Write(Silo, "small", 10);
        await Write(Silo, "huge", 1_500);

        await Until(() => !Residents(Silo).Holds("small"), "the small tenant to be deactivated");
        Residents(Silo).Holds("huge").Should().BeTrue();
        (await Read(Silo, "huge", "G1499")).Version.Should().Be(1);
        Residents(Silo).Total.Should().Be(1_500, "over the budget, with nothing else left to deactivate");
    }

    [Test]
    public async Task TenantWithSubscriptions_IsNeverEvicted()
    {
        var grains = Services(Silo).GetRequiredService<TenantGrains>();
        await Write(Silo, "subscribed", 600);
        var created = PreEncodedResponses.Decoded(await grains.Write("subscribed", TenantMethods.CreateWebhook,
            new CreateWebhookRequest { Parent = "tenants/subscribed", Webhook = new Webhook { Url = "http://127.0.0.1:9/okr-events" } }, CreateWebhookResponse.Parser));

        await Write(Silo, "newcomer", 600);

        Residents(Silo).Holds("subscribed").Should().BeTrue("its webhook deliverers run in its activation");
        Residents(Silo).Holds("newcomer").Should().BeTrue("the tenant being called stays");

        // Unsubscribed, it is the least recently called of a silo over its budget.
        await grains.Write("subscribed", TenantMethods.DeleteWebhook, new DeleteWebhookRequest { Name = created.Webhook.Name }, DeleteWebhookResponse.Parser);
        await Write(Silo, "newcomer", 1, "H");
        await Until(() => !Residents(Silo).Holds("subscribed"), "the unsubscribed tenant to be deactivated");
    }

    [Test]
    public async Task Activations_WaitForTheLoadSlot_AndNeverLoadTwoAtOnce()
    {
        var tenants = Enumerable.Range(0, 4).Select(k => $"load-{k}").ToList();
        foreach (var tenant in tenants) await Write(Silo, tenant, 150);
        await DeactivateIdle(Cluster);
        var loads = Services(Silo).GetRequiredService<TenantLoads>();

        // The test takes the one slot itself: the tenants' activations must wait for it.
        var (held, release) = TakeTheSlot(loads);
        var reads = tenants.Select(t => Read(Silo, t, "G149")).ToList();
        await Until(() => loads.Waiting == tenants.Count, "every activation to wait for the load slot");
        reads.Should().OnlyContain(r => !r.IsCompleted, "no tenant loads while the one slot is taken");

        release.SetResult();
        await held;
        (await Task.WhenAll(reads)).Should().OnlyContain(r => r.Version == 1);
        loads.Peak.Should().Be(1, "one load slot");
        loads.Running.Should().Be(0);
    }

    [Test]
    public async Task Activation_WaitingForTheSlotLongerThanItsTimeout_IsUnavailable_NamingTheOption()
    {
        await Write(Silo, "late", 10);
        await DeactivateIdle(Cluster);
        var loads = Services(Silo).GetRequiredService<TenantLoads>();
        var (held, release) = TakeTheSlot(loads);
        try
        {
            var refused = await FluentActions.Awaiting(() => Read(Silo, "late", "G0")).Should().ThrowAsync<RpcException>();
            refused.Which.StatusCode.Should().Be(StatusCode.Unavailable);
            refused.Which.Status.Detail.Should().Be(
                "tenant 'late' was not loaded in time: its silo loads a few tenants at a time (--max-concurrent-loads) and others were ahead of it; retry later");
        }
        finally
        {
            release.SetResult();
            await held;
        }

        (await Read(Silo, "late", "G0")).Version.Should().Be(1, "the next call loads it");
    }

    /// <summary>Takes one of the silo's load slots until <c>Release</c> completes; <c>Held</c> ends when it is given back.</summary>
    private static (Task Held, TaskCompletionSource Release) TakeTheSlot(TenantLoads loads)
    {
        var release = new TaskCompletionSource();
        var held = loads.Run("held-by-the-test", async () =>
        {
            await release.Task;
            return 0;
        }, CancellationToken.None);
        return (held, release);
    }
}

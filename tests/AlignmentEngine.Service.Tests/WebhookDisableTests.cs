using AlignmentEngine.Api.V1;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Service.Tests;

/// <summary>A receiver that stays down past the bound: its subscription is disabled, its events listed as failed and redelivered.</summary>
public sealed class WebhookDisableTests : ServerFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected override void Configure(AlignmentServiceOptions options)
    {
        options.AllowInsecureWebhooks = true;
        options.WebhookRetryDelay = TimeSpan.FromMilliseconds(50);
        options.WebhookRetryMaxDelay = TimeSpan.FromMilliseconds(200);
        options.WebhookDisableAfter = TimeSpan.FromSeconds(1);
    }

    [Test]
    public async Task AnEndpointFailingPastTheBound_IsDisabled_ItsFailedDeliveriesListed_AndRedeliveredInOrder()
    {
        await SeedCompanyAsync("wh-disable");
        await using var receiver = new WebhookReceiver();
        var created = await Client.CreateWebhookAsync(new CreateWebhookRequest { Parent = "tenants/wh-disable", Webhook = new Webhook { Url = receiver.Url } });
        receiver.Secret = created.Secret;
        var versions = new List<long>();
        for (var v = 1; v <= 3; v++) versions.Add((await Client.ApplyChangesAsync(Changes("wh-disable", CheckIn("KR2", v)))).Version);

        var disabled = await EventuallyAsync(async () =>
            (await Client.ListWebhooksAsync(new ListWebhooksRequest { Parent = "tenants/wh-disable" })).Webhooks.Single() is { State: WebhookState.Disabled } w ? w : null);
        disabled.DisableTime.Should().NotBeNull();

        var failed = await Client.ListFailedWebhookDeliveriesAsync(new ListFailedWebhookDeliveriesRequest { Parent = created.Webhook.Name });
        failed.Deliveries.Select(d => d.Version).Should().Equal(versions);
        failed.Deliveries[0].Attempts.Should().BePositive();
        failed.Deliveries[0].LastError.Should().NotBeEmpty();
        failed.Deliveries[1].Attempts.Should().Be(0, "later events wait for the first: they were never sent out of order");

        await receiver.StartAsync();
        var redelivered = await Client.RedeliverWebhookAsync(new RedeliverWebhookRequest { Name = created.Webhook.Name });
        redelivered.Requeued.Should().Be(3);
        (await receiver.WaitForAsync(3, Patience)).Select(e => e.Version).Should().Equal(versions);
        (await Client.ListWebhooksAsync(new ListWebhooksRequest { Parent = "tenants/wh-disable" })).Webhooks.Single().State.Should().Be(WebhookState.Active);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await probe() is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not hold in time");
            await Task.Delay(50);
        }
    }
}

using AlignmentEngine.Api.V1;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.EndToEnd.Tests;

/// <summary>
/// <c>okr serve</c> SIGKILLed with webhook events still in its outbox (the receiver was down): after the restart
/// they are delivered, every one, in version order, to a receiver that verifies their signatures.
/// </summary>
public sealed class WebhookRestartTests : ScratchStoreTests
{
    [Test]
    public async Task EventsInTheOutboxWhenOkrServeIsKilled_AreDeliveredAfterTheRestart_InVersionOrder()
    {
        await using var receiver = new WebhookReceiver();
        var committed = new List<long>();
        using (var server = OkrServer.Start(Store, "--allow-insecure-webhooks"))
        {
            await server.Client.ApplyChangesAsync(Requests.Changes("hooks", Requests.Upsert(Goals.Objective("C1")), Requests.Upsert(Goals.KeyResult("KR1", 0, new Core.ParentLink("C1", 1)))));
            var created = await server.Client.CreateWebhookAsync(new CreateWebhookRequest { Parent = "tenants/hooks", Webhook = new Webhook { Url = receiver.Url } });
            receiver.Secret = created.Secret;

            // The receiver is down: these stay in the outbox, retried.
            for (var v = 1; v <= 5; v++) committed.Add((await server.Client.ApplyChangesAsync(Requests.Changes("hooks", Requests.CheckIn("KR1", v * 10)))).Version);
            server.Kill();
        }

        // The new process starts while the receiver is still down, and keeps retrying until it is back.
        using var again = OkrServer.Start(Store, "--allow-insecure-webhooks");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await receiver.StartAsync();

        var received = await receiver.WaitForAsync(committed.Count, TimeSpan.FromSeconds(60));
        received.Select(e => e.Version).Should().Equal(committed);
        received[^1].Data.GetProperty("goals").EnumerateArray().Single(g => g.GetProperty("goal_id").GetString() == "KR1")
            .GetProperty("after").GetProperty("progress").GetDouble().Should().BeApproximately(0.5, 1e-12);
        receiver.Rejected.Should().Be(0);
    }
}

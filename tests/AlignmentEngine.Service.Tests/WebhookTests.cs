using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AlignmentEngine.Api.V1;
using AlignmentEngine.Tests.Shared;
using Grpc.Core;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// Webhooks end to end: the service delivers to a real receiver on the loopback (allowed here, as by
/// <c>okr serve --allow-insecure-webhooks</c>) that verifies every signature with the StandardWebhooks package.
/// </summary>
public sealed class WebhookTests : ServerFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected override void Configure(AlignmentServiceOptions options)
    {
        options.AllowInsecureWebhooks = true;
        options.WebhookRetryDelay = TimeSpan.FromMilliseconds(50);
        options.WebhookRetryMaxDelay = TimeSpan.FromMilliseconds(400);
    }

    [Test]
    public async Task AReceiverDownForAWhile_GetsEveryEventOnceBack_InVersionOrder_AndTheMetersSayIt()
    {
        var measured = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name.StartsWith("okr.webhook.", StringComparison.Ordinal)) l.EnableMeasurementEvents(instrument);
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "okr.tenant", Value: "wh-down" }) measured.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
            }
        }

        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        var start = await SeedCompanyAsync("wh-down");
        await using var receiver = new WebhookReceiver();
        var created = await CreateAsync("wh-down", receiver.Url);
        receiver.Secret = created.Secret;

        // The receiver is not listening: every attempt fails to connect, and is retried.
        var versions = new List<long>();
        for (var v = 1; v <= 6; v++) versions.Add((await Client.ApplyChangesAsync(Changes("wh-down", CheckIn("KR2", v)))).Version);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await receiver.StartAsync();

        var received = await receiver.WaitForAsync(6, Patience);
        received.Select(e => e.Version).Should().Equal(versions, "every committed change arrives, in version order");
        versions[0].Should().Be(start + 1);
        received.Should().OnlyContain(e => e.Type == "alignment.changed");
        received[5].Data.GetProperty("goals").EnumerateArray().Single(g => g.GetProperty("goal_id").GetString() == "KR2")
            .GetProperty("after").GetProperty("progress").GetDouble().Should().BeApproximately(0.6, 1e-12);
        receiver.Rejected.Should().Be(0);

        // Acknowledged events are counted once each (after the receiver answered); failed attempts, and the lag.
        await Task.Delay(200);
        measured.GetValueOrDefault("okr.webhook.deliveries").Should().Be(6);
        measured.GetValueOrDefault("okr.webhook.failures").Should().BePositive();
        measured.GetValueOrDefault("okr.webhook.lag").Should().BeGreaterThan(1.0, "the first event waited for the receiver for over a second");
    }

    [Test]
    public async Task WithoutInsecureTargetsAllowed_TheAddressIsCheckedAgainWhenConnecting()
    {
        // A subscription made while its host resolved to a public address, and resolving to the loopback now.
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        using var sender = new Webhooks.WebhookSender(Microsoft.Extensions.Options.Options.Create(new AlignmentServiceOptions()));
        var webhook = new Storage.StoredWebhook("wh0000000000000001", "t", $"http://localhost:{receiver.Port}/hook", null, [], [], "whsec_" + Convert.ToBase64String(new byte[32]), null, null, DateTimeOffset.UtcNow, null);
        var delivery = new Storage.StoredDelivery(webhook.Id, 1, DateTimeOffset.UtcNow, "{}", false, 0, null, null);

        var error = await sender.SendAsync(webhook, delivery, DateTimeOffset.UtcNow, CancellationToken.None);

        error.Should().Contain("loopback");
        receiver.Received.Should().BeEmpty();
        receiver.Rejected.Should().Be(0, "nothing reached the receiver");
    }

    [Test]
    public async Task ASubscription_GetsOnlyItsSubtreeKindsAndCodes()
    {
        await SeedCompanyAsync("wh-filter");
        await Client.ApplyChangesAsync(Changes("wh-filter", Upsert(Objective("C2", Api.V1.GoalLevel.Company)), Upsert(KeyResult("C2.KR", "C2", 0, 10, 0))));
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        var webhook = new Webhook { Url = receiver.Url, SubtreeGoalId = "C2" };
        webhook.EventKinds.Add(WebhookEventKind.ValueChanged);
        webhook.EventKinds.Add(WebhookEventKind.FindingAppeared);
        webhook.FindingCodes.Add("ORPHANED_GOAL");
        receiver.Secret = (await Client.CreateWebhookAsync(new CreateWebhookRequest { Parent = "tenants/wh-filter", Webhook = webhook })).Secret;

        await Client.ApplyChangesAsync(Changes("wh-filter", CheckIn("KR1", 9)));                 // outside C2: nothing
        var inside = await Client.ApplyChangesAsync(Changes("wh-filter", CheckIn("C2.KR", 5)));  // inside: its value
        var orphan = await Client.ApplyChangesAsync(Changes("wh-filter", Upsert(Objective("LOOSE", Api.V1.GoalLevel.Team, "C2")), Archive("C2")));

        var received = await receiver.WaitForAsync(2, Patience);
        received.Select(e => e.Version).Should().Equal(inside.Version, orphan.Version);
        var appeared = received[1].Data.GetProperty("findings_appeared").EnumerateArray().ToList();
        appeared.Should().NotBeEmpty().And.OnlyContain(f => f.GetProperty("code").GetString() == "ORPHANED_GOAL");
        received[1].Data.GetProperty("findings_disappeared").GetArrayLength().Should().Be(0, "disappearing findings were not asked for");
    }

    [Test]
    public async Task ARotatedSecret_SignsWithTheNewKeyFirstAndThePreviousSecond_AndListsNeverShowSecrets()
    {
        await SeedCompanyAsync("wh-rotate");
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        var created = await CreateAsync("wh-rotate", receiver.Url);
        var rotated = await Client.RotateWebhookSecretAsync(new RotateWebhookSecretRequest { Name = created.Webhook.Name });
        rotated.Secret.Should().StartWith("whsec_").And.NotBe(created.Secret);

        // A receiver still on the previous secret: the StandardWebhooks 1.1.2 verifier checks the first signature only,
        // so it refuses; the header's second signature is the previous secret's, which a verifier that checks every
        // signature (as the specification says) accepts. The event is retried, not lost.
        receiver.Secret = created.Secret;
        var committed = await Client.ApplyChangesAsync(Changes("wh-rotate", CheckIn("KR2", 1)));
        var deadline = DateTime.UtcNow + Patience;
        while (receiver.Rejected == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        var refused = receiver.Refused[0];
        var signatures = refused.Signature.Split(' ');
        signatures.Should().HaveCount(2);
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(refused.Timestamp, System.Globalization.CultureInfo.InvariantCulture));
        signatures[0].Should().Be(new StandardWebhooks.StandardWebhook(rotated.Secret).Sign(refused.Id, sentAt, refused.Payload));
        signatures[1].Should().Be(new StandardWebhooks.StandardWebhook(created.Secret).Sign(refused.Id, sentAt, refused.Payload));

        receiver.Secret = rotated.Secret;
        (await receiver.WaitForAsync(1, Patience)).Single().Version.Should().Be(committed.Version);

        var listed = await Client.ListWebhooksAsync(new ListWebhooksRequest { Parent = "tenants/wh-rotate" });
        listed.Webhooks.Should().ContainSingle().Which.Name.Should().Be(created.Webhook.Name);
        listed.ToString().Should().NotContain("whsec_");

        await Client.DeleteWebhookAsync(new DeleteWebhookRequest { Name = created.Webhook.Name });
        (await Client.ListWebhooksAsync(new ListWebhooksRequest { Parent = "tenants/wh-rotate" })).Webhooks.Should().BeEmpty();
        var again = Assert.ThrowsAsync<RpcException>(() => Client.DeleteWebhookAsync(new DeleteWebhookRequest { Name = created.Webhook.Name }).ResponseAsync)!;
        again.StatusCode.Should().Be(StatusCode.NotFound);
    }

    [Test]
    public async Task AnImport_SendsTreeReplaced()
    {
        await SeedCompanyAsync("wh-import");
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        receiver.Secret = (await CreateAsync("wh-import", receiver.Url)).Secret;

        var imported = await ImportAsync("wh-import", ReadTree(Path.Combine(RepoPaths.Conformance, "01-basic-rollup.yaml")));

        var received = (await receiver.WaitForAsync(1, Patience)).Single();
        (received.Type, received.Version).Should().Be(("alignment.tree_replaced", imported.Version));
    }

    [Test]
    public async Task ARefusedChange_MakesNoEvent()
    {
        await SeedCompanyAsync("wh-refused");
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        receiver.Secret = (await CreateAsync("wh-refused", receiver.Url)).Secret;
        var cycle = new Api.V1.GoalChange { AddEdge = new AddEdge { GoalId = "C1", Link = new Api.V1.ParentLink { ParentGoalId = "KR1" } } };

        Assert.ThrowsAsync<RpcException>(() => Client.ApplyChangesAsync(Changes("wh-refused", CheckIn("KR1", 9), cycle)).ResponseAsync);
        var committed = await Client.ApplyChangesAsync(Changes("wh-refused", CheckIn("KR1", 8)));

        var received = await receiver.WaitForAsync(1, Patience);
        received.Single().Version.Should().Be(committed.Version, "the refused change committed nothing, so it sent nothing");
    }

    [Test]
    public async Task BadSubscriptions_AreInvalidArgument_NamingTheField()
    {
        var webhook = new Webhook { Url = "ftp://example.com/hook" };
        webhook.EventKinds.Add(WebhookEventKind.Unspecified);
        webhook.FindingCodes.Add("NOT_A_CODE");
        var error = Assert.ThrowsAsync<RpcException>(() => Client.CreateWebhookAsync(new CreateWebhookRequest { Parent = "tenants/wh-bad", Webhook = webhook }).ResponseAsync)!;
        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        var fields = error.GetRpcStatus()!.Details.Single().Unpack<Google.Rpc.BadRequest>().FieldViolations.Select(v => v.Field);
        fields.Should().BeEquivalentTo("webhook.url", "webhook.event_kinds[0]", "webhook.finding_codes[0]");

        var name = Assert.ThrowsAsync<RpcException>(() => Client.RotateWebhookSecretAsync(new RotateWebhookSecretRequest { Name = "tenants/wh-bad/webhooks/nope" }).ResponseAsync)!;
        name.StatusCode.Should().Be(StatusCode.InvalidArgument);
        var missing = Assert.ThrowsAsync<RpcException>(() => Client.RedeliverWebhookAsync(new RedeliverWebhookRequest { Name = "tenants/wh-bad/webhooks/wh0123456789abcdef" }).ResponseAsync)!;
        missing.StatusCode.Should().Be(StatusCode.NotFound);
    }

    private async Task<CreateWebhookResponse> CreateAsync(string tenant, string url) =>
        await Client.CreateWebhookAsync(new CreateWebhookRequest { Parent = $"tenants/{tenant}", Webhook = new Webhook { Url = url } });
}

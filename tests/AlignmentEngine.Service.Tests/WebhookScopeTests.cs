using AlignmentEngine.Api.V1;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Storage;
using Grpc.Core;

namespace AlignmentEngine.Service.Tests;

/// <summary>Webhook RPCs and API keys: managing subscriptions needs the write scope, listing them read; a key sees only its tenant's.</summary>
public sealed class WebhookScopeTests : ServerFixture
{
    private string _readA = null!;
    private string _writeA = null!;
    private string _writeB = null!;
    private string _readB = null!;

    protected override void Configure(AlignmentServiceOptions options)
    {
        options.ApiKeyCacheTime = TimeSpan.Zero;
        options.AllowInsecureWebhooks = true;
    }

    [OneTimeSetUp]
    public async Task CreateKeys()
    {
        using var store = AlignmentStores.Open(StoreLocation);
        _readA = (await ApiKeys.CreateAsync(store, "a", [ApiScopes.Read], DateTimeOffset.UtcNow)).Text;
        _writeA = (await ApiKeys.CreateAsync(store, "a", [ApiScopes.Write], DateTimeOffset.UtcNow)).Text;
        _writeB = (await ApiKeys.CreateAsync(store, "b", [ApiScopes.Write], DateTimeOffset.UtcNow)).Text;
        _readB = (await ApiKeys.CreateAsync(store, "b", [ApiScopes.Read], DateTimeOffset.UtcNow)).Text;
    }

    [Test]
    public async Task WriteManagesSubscriptions_ReadListsThem_AndAnotherTenantsKeySeesNone()
    {
        var create = new CreateWebhookRequest { Parent = "tenants/a", Webhook = new Webhook { Url = "http://127.0.0.1:9/hook" } };
        Assert.ThrowsAsync<RpcException>(() => Client.CreateWebhookAsync(create, As(_readA)).ResponseAsync)!.StatusCode.Should().Be(StatusCode.PermissionDenied);
        var created = await Client.CreateWebhookAsync(create, As(_writeA));

        (await Client.ListWebhooksAsync(new ListWebhooksRequest { Parent = "tenants/a" }, As(_readA))).Webhooks.Should().ContainSingle();
        (await Client.ListFailedWebhookDeliveriesAsync(new ListFailedWebhookDeliveriesRequest { Parent = created.Webhook.Name }, As(_readA))).Deliveries.Should().BeEmpty();
        Assert.ThrowsAsync<RpcException>(() => Client.RotateWebhookSecretAsync(new RotateWebhookSecretRequest { Name = created.Webhook.Name }, As(_readA)).ResponseAsync)!
            .StatusCode.Should().Be(StatusCode.PermissionDenied);

        Assert.ThrowsAsync<RpcException>(() => Client.DeleteWebhookAsync(new DeleteWebhookRequest { Name = created.Webhook.Name }, As(_writeB)).ResponseAsync)!
            .StatusCode.Should().Be(StatusCode.NotFound);
        Assert.ThrowsAsync<RpcException>(() => Client.ListWebhooksAsync(new ListWebhooksRequest { Parent = "tenants/a" }, As(_readB)).ResponseAsync)!
            .StatusCode.Should().Be(StatusCode.NotFound);
        await Client.DeleteWebhookAsync(new DeleteWebhookRequest { Name = created.Webhook.Name }, As(_writeA));
    }

    private static CallOptions As(string key) => new(new Metadata { { "authorization", $"Bearer {key}" } });
}

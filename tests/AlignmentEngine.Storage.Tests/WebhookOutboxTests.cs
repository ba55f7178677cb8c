using AlignmentEngine.Core;
using AlignmentEngine.Storage.Tests.Support;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// The webhook outbox on each database: its rows are committed by the transaction that commits the change, and by
/// nothing else; a change that does not commit leaves none. Then read oldest first, acknowledged, failed, redelivered.
/// </summary>
[TestFixture(typeof(SqliteProvider))]
[TestFixture(typeof(PostgresProvider))]
[TestFixture(typeof(SqlServerProvider))]
public sealed class WebhookOutboxTests<TProvider>
    where TProvider : IStoreProvider, new()
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 3, 1);

    private IAlignmentStore _store = null!;

    [SetUp]
    public async Task OpenStore()
    {
        _store = AlignmentStores.Open(new TProvider().NewLocation());
        await _store.MigrateAsync();
        await _store.Webhooks.AddAsync(Webhook("wh1"));
        await _store.Webhooks.AddAsync(Webhook("wh2"));
    }

    [TearDown]
    public void CloseStore() => _store?.Dispose();

    [Test]
    public async Task OutboxRows_AreCommittedWithTheirChange_AndAConflictingChangeLeavesNone()
    {
        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(1)) { Outbox = [new OutboxEvent("wh1", "{\"v\":1}")] });
        await _store.AppendAsync(CheckIn(2, 10) with { Outbox = [new OutboxEvent("wh1", "{\"v\":2}"), new OutboxEvent("wh2", "{\"v\":2}")] });

        // Another writer's version 2: refused, and its event with it.
        var conflicting = () => _store.AppendAsync(CheckIn(2, 20) with { Outbox = [new OutboxEvent("wh2", "{\"lost\":true}")] });
        await conflicting.Should().ThrowAsync<StoreConflictException>();

        (await _store.Webhooks.NextPendingAsync("wh1"))!.Payload.Should().Be("{\"v\":1}");
        await _store.Webhooks.DeliveredAsync("wh1", 1);
        (await _store.Webhooks.NextPendingAsync("wh1"))!.Version.Should().Be(2);
        var wh2 = (await _store.Webhooks.NextPendingAsync("wh2"))!;
        wh2.Payload.Should().Be("{\"v\":2}");
        await _store.Webhooks.DeliveredAsync("wh2", 2);
        (await _store.Webhooks.NextPendingAsync("wh2")).Should().BeNull("the conflicting change's event was never committed");
    }

    [Test]
    public async Task FailedAttempts_Disable_ListFailed_AndRedeliver()
    {
        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(1)) { Outbox = [new OutboxEvent("wh1", "{}")] });
        await _store.AppendAsync(CheckIn(2, 10) with { Outbox = [new OutboxEvent("wh1", "{}")] });

        await _store.Webhooks.AttemptFailedAsync("wh1", 1, T0.AddSeconds(1), "HTTP 503");
        await _store.Webhooks.AttemptFailedAsync("wh1", 1, T0.AddSeconds(5), "connection refused");
        var head = (await _store.Webhooks.NextPendingAsync("wh1"))!;
        (head.Attempts, head.FirstFailedAt, head.LastError).Should().Be((2L, T0.AddSeconds(1), "connection refused"));

        await _store.Webhooks.DisableAsync("wh1", T0.AddMinutes(1));
        (await _store.Webhooks.NextPendingAsync("wh1")).Should().BeNull();
        (await _store.Webhooks.ListFailedAsync("wh1")).Select(d => d.Version).Should().Equal(1, 2);
        (await _store.Webhooks.ListAsync("t")).Single(w => w.Id == "wh1").DisabledAt.Should().Be(T0.AddMinutes(1));

        (await _store.Webhooks.RedeliverAsync("t", "wh1")).Should().Be(2);
        (await _store.Webhooks.ListAsync("t")).Single(w => w.Id == "wh1").DisabledAt.Should().BeNull();
        (await _store.Webhooks.NextPendingAsync("wh1"))!.Attempts.Should().Be(0);
        (await _store.Webhooks.ListFailedAsync("wh1")).Should().BeEmpty();
    }

    [Test]
    public async Task Subscriptions_RotateAndDelete_DeletingTakesTheirOutboxRows()
    {
        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(1)) { Outbox = [new OutboxEvent("wh2", "{}")] });

        (await _store.Webhooks.RotateAsync("t", "wh2", "whsec_new", T0.AddDays(1))).Should().BeTrue();
        var rotated = (await _store.Webhooks.ListAsync("t")).Single(w => w.Id == "wh2");
        (rotated.Secret, rotated.PreviousSecret, rotated.PreviousExpiresAt).Should().Be(("whsec_new", "whsec_wh2", T0.AddDays(1)));
        (await _store.Webhooks.RotateAsync("b", "wh2", "whsec_other", T0)).Should().BeFalse("another tenant's subscription");

        (await _store.Webhooks.DeleteAsync("t", "wh2")).Should().BeTrue();
        (await _store.Webhooks.NextPendingAsync("wh2")).Should().BeNull();
        (await _store.Webhooks.ListAsync("t")).Select(w => w.Id).Should().Equal("wh1");
    }

    private static StoredWebhook Webhook(string id) =>
        new(id, "t", $"https://example.com/{id}", null, ["value"], ["ORPHANED_GOAL"], $"whsec_{id}", null, null, T0, null);

    private static ChangeSet CheckIn(long version, double value) =>
        new("t", version, T0.AddMinutes(version), Day, [new CheckIn("KR1", value)], [], [], 1);
}

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
    public void OpenStore()
    {
        _store = AlignmentStores.Open(new TProvider().NewLocation());
        _store.Migrate();
        _store.Webhooks.Add(Webhook("wh1"));
        _store.Webhooks.Add(Webhook("wh2"));
    }

    [TearDown]
    public void CloseStore() => _store?.Dispose();

    [Test]
    public void OutboxRows_AreCommittedWithTheirChange_AndAConflictingChangeLeavesNone()
    {
        _store.Replace(new TreeSnapshot("t", 1, T0, Day, Goals.Company(1)) { Outbox = [new OutboxEvent("wh1", "{\"v\":1}")] });
        _store.Append(CheckIn(2, 10) with { Outbox = [new OutboxEvent("wh1", "{\"v\":2}"), new OutboxEvent("wh2", "{\"v\":2}")] });

        // Another writer's version 2: refused, and its event with it.
        var conflicting = () => _store.Append(CheckIn(2, 20) with { Outbox = [new OutboxEvent("wh2", "{\"lost\":true}")] });
        conflicting.Should().Throw<StoreConflictException>();

        _store.Webhooks.NextPending("wh1")!.Payload.Should().Be("{\"v\":1}");
        _store.Webhooks.Delivered("wh1", 1);
        _store.Webhooks.NextPending("wh1")!.Version.Should().Be(2);
        var wh2 = _store.Webhooks.NextPending("wh2")!;
        wh2.Payload.Should().Be("{\"v\":2}");
        _store.Webhooks.Delivered("wh2", 2);
        _store.Webhooks.NextPending("wh2").Should().BeNull("the conflicting change's event was never committed");
    }

    [Test]
    public void FailedAttempts_Disable_ListFailed_AndRedeliver()
    {
        _store.Replace(new TreeSnapshot("t", 1, T0, Day, Goals.Company(1)) { Outbox = [new OutboxEvent("wh1", "{}")] });
        _store.Append(CheckIn(2, 10) with { Outbox = [new OutboxEvent("wh1", "{}")] });

        _store.Webhooks.AttemptFailed("wh1", 1, T0.AddSeconds(1), "HTTP 503");
        _store.Webhooks.AttemptFailed("wh1", 1, T0.AddSeconds(5), "connection refused");
        var head = _store.Webhooks.NextPending("wh1")!;
        (head.Attempts, head.FirstFailedAt, head.LastError).Should().Be((2L, T0.AddSeconds(1), "connection refused"));

        _store.Webhooks.Disable("wh1", T0.AddMinutes(1));
        _store.Webhooks.NextPending("wh1").Should().BeNull();
        _store.Webhooks.ListFailed("wh1").Select(d => d.Version).Should().Equal(1, 2);
        _store.Webhooks.List("t").Single(w => w.Id == "wh1").DisabledAt.Should().Be(T0.AddMinutes(1));

        _store.Webhooks.Redeliver("t", "wh1").Should().Be(2);
        _store.Webhooks.List("t").Single(w => w.Id == "wh1").DisabledAt.Should().BeNull();
        _store.Webhooks.NextPending("wh1")!.Attempts.Should().Be(0);
        _store.Webhooks.ListFailed("wh1").Should().BeEmpty();
    }

    [Test]
    public void Subscriptions_RotateAndDelete_DeletingTakesTheirOutboxRows()
    {
        _store.Replace(new TreeSnapshot("t", 1, T0, Day, Goals.Company(1)) { Outbox = [new OutboxEvent("wh2", "{}")] });

        _store.Webhooks.Rotate("t", "wh2", "whsec_new", T0.AddDays(1)).Should().BeTrue();
        var rotated = _store.Webhooks.List("t").Single(w => w.Id == "wh2");
        (rotated.Secret, rotated.PreviousSecret, rotated.PreviousExpiresAt).Should().Be(("whsec_new", "whsec_wh2", T0.AddDays(1)));
        _store.Webhooks.Rotate("b", "wh2", "whsec_other", T0).Should().BeFalse("another tenant's subscription");

        _store.Webhooks.Delete("t", "wh2").Should().BeTrue();
        _store.Webhooks.NextPending("wh2").Should().BeNull();
        _store.Webhooks.List("t").Select(w => w.Id).Should().Equal("wh1");
    }

    private static StoredWebhook Webhook(string id) =>
        new(id, "t", $"https://example.com/{id}", null, ["value"], ["ORPHANED_GOAL"], $"whsec_{id}", null, null, T0, null);

    private static ChangeSet CheckIn(long version, double value) =>
        new("t", version, T0.AddMinutes(version), Day, [new CheckIn("KR1", value)], [], []);
}

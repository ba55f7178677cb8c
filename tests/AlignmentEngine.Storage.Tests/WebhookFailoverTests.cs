using AlignmentEngine.Api.V1;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;
using static AlignmentEngine.Storage.Tests.Support.Requests;
using ParentLink = AlignmentEngine.Core.ParentLink;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// Webhook delivery across a silo's death: three <c>okr serve --cluster</c> processes on one PostgreSQL database, a
/// tenant with a subscription to a receiver that verifies every signature, writes with request_ids through every silo,
/// and SIGKILL of the silo whose deliverer is sending (found by the receiver's connection) while the receiver answers
/// 503 and events wait in the outbox. With no further call to the tenant, a survivor activates it and its deliverer
/// resumes from the outbox: every committed version's event arrives, signed, in version order, and the arrivals show
/// one deliverer at a time (each event sent until acknowledged before the next; a second deliverer would send events
/// out of that order).
/// </summary>
public sealed class WebhookFailoverTests
{
    private const string Tenant = "hooked";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly List<OkrServer> _silos = [];

    [TearDown]
    public void StopSilos()
    {
        foreach (var silo in _silos) silo.Dispose();
    }

    [Test]
    public async Task KilledSiloDeliveringATenantsEvents_ASurvivorDeliversTheRest_InVersionOrder_OneDelivererAtATime()
    {
        var location = TestPostgres.NewSchemaLocation();
        for (var s = 0; s < 3; s++) _silos.Add(ClusterServe.Start(location, location, "--allow-insecure-webhooks"));
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();

        await _silos[0].Client.ApplyChangesAsync(Changes(Tenant, Upsert(Goals.Objective("C1")), Upsert(Goals.KeyResult("K", 0, new ParentLink("C1")))));
        var created = await _silos[1].Client.CreateWebhookAsync(new CreateWebhookRequest { Parent = $"tenants/{Tenant}", Webhook = new Webhook { Url = receiver.Url } });
        receiver.Secret = created.Secret;

        // Writes through each silo in turn, delivered as they commit; then more while the receiver answers 503, which
        // stay in the outbox behind the one being retried.
        var committed = new List<long>();
        for (var n = 1; n <= 6; n++) committed.Add(await WriteAsync(_silos[n % 3], n));
        receiver.Unavailable = true;
        for (var n = 7; n <= 12; n++) committed.Add(await WriteAsync(_silos[n % 3], n));
        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Arrivals.Any(a => !a.Acknowledged)), Deadline, "the deliverer is retrying an event");

        // The silo delivering the tenant's events is the one holding the connection they came over.
        var sender = receiver.Arrivals[^1].SenderPort;
        var holder = _silos.Where(s => ProcessSockets.HoldsConnection(s.ProcessId, sender, receiver.Port)).Should().ContainSingle("one silo sends the tenant's events").Subject;
        holder.Kill();
        var killedAt = receiver.Arrivals.Count;
        receiver.Unavailable = false;

        // No call reaches the tenant now: a survivor must activate it on its own, once the membership declares the
        // holder dead, and its deliverer send what the outbox holds.
        await receiver.WaitForAsync(committed.Count, Deadline);
        var survivors = _silos.Where(s => s != holder).ToArray();
        committed.Add(await WriteAsync(survivors[0], 13));
        var received = await receiver.WaitForAsync(committed.Count, Deadline);

        received.Select(e => e.Version).Should().Equal(committed, "every committed version's event arrives, in version order");
        receiver.Refused.Should().BeEmpty("every event is signed with the subscription's secret");

        // One deliverer at a time sends an event until it is acknowledged, and only then the next: the arrivals, each
        // run of repeats of one event taken once, are the committed versions in order. The killed silo's last event may
        // come again from the survivor (at least once), but never after a later one.
        var arrivals = receiver.Arrivals;
        arrivals.Select(a => a.Version).Where((v, k) => k == 0 || v != arrivals[k - 1].Version).Should().Equal(committed, "events arrive one deliverer at a time, in order");
        var acknowledgedBeforeKill = arrivals.Take(killedAt).Where(a => a.Acknowledged).Select(a => a.Version).DefaultIfEmpty(0).Max();
        TestContext.Progress.WriteLine(
            $"3 silos, SIGKILL of the one delivering with {committed.Count(v => v > acknowledgedBeforeKill) - 1} events in its outbox: " +
            $"{received.Count} events delivered in version order through {arrivals.Count} requests ({arrivals.Count(a => !a.Acknowledged)} answered 503)");
    }

    /// <summary>A check-in with a request_id of its own, sent again with it until acknowledged (<see cref="RetriedWrite"/>); the version it committed.</summary>
    private static async Task<long> WriteAsync(OkrServer silo, int n)
    {
        var request = Changes(Tenant, CheckIn("K", n));
        request.RequestId = Guid.NewGuid().ToString();
        return (await RetriedWrite.ApplyAsync(silo.Client, request, Deadline)).Version;
    }
}

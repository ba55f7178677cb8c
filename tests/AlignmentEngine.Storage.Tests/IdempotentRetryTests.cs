using AlignmentEngine.Api.V1;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;
using static AlignmentEngine.Storage.Tests.Support.Requests;
using ParentLink = AlignmentEngine.Core.ParentLink;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// A write with a request_id retried through another <c>okr serve</c> process on the same store (each database that
/// is available), as a client does when the process it wrote through fails: the retry answers the original response
/// and applies nothing, and the same request sent through both processes at once is applied once.
/// </summary>
[TestFixture(typeof(SqliteProvider))]
[TestFixture(typeof(PostgresProvider))]
[TestFixture(typeof(SqlServerProvider))]
public sealed class IdempotentRetryTests<TProvider>
    where TProvider : IStoreProvider, new()
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private OkrServer _a = null!;
    private OkrServer _b = null!;

    [OneTimeSetUp]
    public void StartProcesses()
    {
        var location = new TProvider().NewLocation();
        _a = OkrServer.Start(location);
        _b = OkrServer.Start(location);
    }

    [OneTimeTearDown]
    public void StopProcesses()
    {
        // Null when set-up was skipped (no such database here) or failed half-way.
        _a?.Dispose();
        _b?.Dispose();
    }

    private static RecordCheckInsRequest CheckIns(string tenant, string goal, double value)
    {
        var request = new RecordCheckInsRequest { Parent = $"tenants/{tenant}", RequestId = Guid.NewGuid().ToString() };
        request.CheckIns.Add(new Api.V1.CheckIn { GoalId = goal, Value = value });
        return request;
    }

    private async Task SeedAsync(string tenant)
    {
        await _a.Client.ApplyChangesAsync(Changes(tenant, Upsert(Goals.Objective("C1")), Upsert(Goals.KeyResult("K", 0, new ParentLink("C1")))));
        await Eventually.HoldsAsync(async () => await VersionAsync(_b.Client, tenant) == 1, Deadline, "B sees the tenant");
    }

    [Test]
    public async Task RecordCheckIns_RetriedThroughTheOtherProcess_AnswersTheOriginalAndAppliesNothing()
    {
        await SeedAsync("retry");
        var request = CheckIns("retry", "K", 70);

        var original = await _a.Client.RecordCheckInsAsync(request);
        var retried = await _b.Client.RecordCheckInsAsync(request);

        retried.Should().Be(original);
        (await VersionAsync(_b.Client, "retry")).Should().Be(original.Version, "the retry's process caught up with the write it answered");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        (await VersionAsync(_a.Client, "retry")).Should().Be(2, "one write");
        (await VersionAsync(_b.Client, "retry")).Should().Be(2);
    }

    [Test]
    public async Task RecordCheckIns_SameRequestThroughBothProcessesAtOnce_AppliedOnce()
    {
        await SeedAsync("at-once");
        const int Rounds = 5;

        for (var round = 0; round < Rounds; round++)
        {
            var version = 1 + round;
            await Eventually.HoldsAsync(async () => await VersionAsync(_a.Client, "at-once") == version && await VersionAsync(_b.Client, "at-once") == version, Deadline, "both at the same version");
            var request = CheckIns("at-once", "K", 10 + round);

            var answers = await Task.WhenAll(_a.Client.RecordCheckInsAsync(request).ResponseAsync, _b.Client.RecordCheckInsAsync(request).ResponseAsync);

            answers[1].Should().Be(answers[0], "round {0}: both answered the one write", round);
            answers[0].Version.Should().Be(version + 1);
        }

        await Eventually.HoldsAsync(async () => await VersionAsync(_a.Client, "at-once") == 1 + Rounds && await VersionAsync(_b.Client, "at-once") == 1 + Rounds, Deadline, "one version per round");
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using AlignmentEngine.Storage.Tests.Support;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// The store's spans as a tracer provider receives them (an ActivityListener on <see cref="StoreTelemetry.SourceName"/>,
/// the BCL mechanism the OpenTelemetry SDK subscribes with): one per transaction inside traced work, none outside it.
/// </summary>
[TestFixture(typeof(SqliteProvider), "sqlite")]
[TestFixture(typeof(PostgresProvider), "postgresql")]
[TestFixture(typeof(SqlServerProvider), "mssql")]
public sealed class StoreTelemetryTests<TProvider>(string dbSystem)
    where TProvider : IStoreProvider, new()
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 3, 1);

    private static readonly ActivitySource Caller = new("StoreTelemetryTests");
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private ActivityListener _listener = null!;
    private IAlignmentStore _store = null!;

    [SetUp]
    public async Task Listen()
    {
        _stopped.Clear(); // one fixture instance runs every test
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is StoreTelemetry.SourceName or "StoreTelemetryTests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
        _store = AlignmentStores.Open(new TProvider().NewLocation());
        await _store.MigrateAsync();
    }

    [TearDown]
    public void Stop()
    {
        _store?.Dispose();
        _listener.Dispose();
    }

    [Test]
    public async Task Transactions_InsideTracedWork_AreChildSpansWithTheirRows()
    {
        using (Caller.StartActivity("call"))
        {
            await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(3)));
            await _store.LoadTenantAsync("t");
        }

        var call = _stopped.Single(a => a.DisplayName == "call");
        var replace = _stopped.Single(a => a.DisplayName == $"Replace {dbSystem}");
        replace.ParentSpanId.Should().Be(call.SpanId);
        replace.Kind.Should().Be(ActivityKind.Client);
        replace.Status.Should().Be(ActivityStatusCode.Unset);
        replace.GetTagItem("db.system").Should().Be(dbSystem);
        replace.GetTagItem("db.operation.name").Should().Be("Replace");
        replace.GetTagItem("okr.tenant").Should().Be("t");
        replace.GetTagItem("db.response.rows").Should().Be(Goals.Company(3).Goals.Count);
        var load = _stopped.Single(a => a.DisplayName == $"LoadTenant {dbSystem}");
        load.ParentSpanId.Should().Be(call.SpanId);
        load.GetTagItem("db.response.rows").Should().Be(Goals.Company(3).Goals.Count);
    }

    [Test]
    public async Task Conflict_SpanHasErrorStatusAndTheStoresException()
    {
        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(3)));

        using (Caller.StartActivity("call"))
        {
            var again = () => _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(3)));
            await again.Should().ThrowAsync<StoreConflictException>();
        }

        var replace = _stopped.Single(a => a.DisplayName == $"Replace {dbSystem}");
        replace.Status.Should().Be(ActivityStatusCode.Error);
        replace.GetTagItem("error.type").Should().Be(typeof(StoreConflictException).FullName);
    }

    [Test]
    public async Task Transactions_OutsideTracedWork_MakeNoSpan()
    {
        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(3)));
        await _store.ListTenantsAsync();

        _stopped.Should().BeEmpty();
    }
}

using System.Net;
using System.Reflection;
using AlignmentEngine.Storage.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// Our cluster membership migration, driven by Orleans' own ADO.NET membership table (the class a silo uses) on the
/// test PostgreSQL server: the migration applies once, the stored queries are the ones the provider asks for, and
/// each keeps the guarantee the membership protocol relies on (a write on a stale version changes nothing).
/// Each test has a schema of its own.
/// </summary>
public sealed class ClusterMembershipSchemaTests
{
    private static readonly DateTime Start = new(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc);

    private string _location = null!;
    private string _connectionString = null!;

    [SetUp]
    public async Task Migrate()
    {
        _location = TestPostgres.NewSchemaLocation();
        _connectionString = _location["postgres:".Length..];
        (await ClusterMembershipSchema.MigrateAsync(_connectionString)).Should().Equal(1);
    }

    [Test]
    public async Task Migrate_RunTwice_AppliesNothingTheSecondTimeAndKeepsMembers()
    {
        var table = await TableAsync("c1");
        var read = await table.ReadAllAsync();
        (await table.InsertRowAsync(Entry(11111, SiloStatus.Active), read.Version.Next())).Should().BeTrue();

        (await ClusterMembershipSchema.MigrateAsync(_connectionString)).Should().BeEmpty();

        (await table.ReadAllAsync()).Members.Should().ContainSingle();
        (await RawDatabase.CountAsync(_location, "SELECT COUNT(*) FROM cluster_schema_version")).Should().Be(ClusterMembershipSchema.Latest);
    }

    [Test]
    public async Task Migrate_SchemaNewerThanCode_Refuses()
    {
        await RawDatabase.ExecuteAsync(_location, "INSERT INTO cluster_schema_version (version, name) VALUES (999, 'from_the_future')");

        var migrate = () => ClusterMembershipSchema.MigrateAsync(_connectionString);

        await migrate.Should().ThrowAsync<StoreSchemaException>().WithMessage("*cluster membership schema version 999*");
    }

    [Test]
    public async Task Migrate_NothingListening_IsUnavailable()
    {
        var migrate = () => ClusterMembershipSchema.MigrateAsync("Host=127.0.0.1;Port=1;Username=okr;Database=okr", TimeSpan.FromSeconds(1));

        await migrate.Should().ThrowAsync<StoreUnavailableException>();
    }

    [Test]
    public async Task StoredQueries_AreExactlyTheOnesTheProviderRequires()
    {
        // The provider checks its stored queries against the properties of its DbStoredQueries at start; reading the
        // same list here finds a query a newer provider asks for before a silo fails to start without it.
        var required = typeof(AdoNetClusteringTable).Assembly.GetTypes().Single(t => t.Name == "DbStoredQueries")
            .GetProperties(BindingFlags.Instance | BindingFlags.NonPublic).Select(p => p.Name);

        (await StoredQueryKeysAsync()).Should().BeEquivalentTo(required);
    }

    [Test]
    public async Task InsertRow_OnTheVersionRead_AddsTheRowAndMovesTheVersion()
    {
        var table = await TableAsync("c1");
        var before = await table.ReadAllAsync();

        (await table.InsertRowAsync(Entry(11111, SiloStatus.Joining), before.Version.Next())).Should().BeTrue();

        var after = await table.ReadAllAsync();
        after.Version.Version.Should().Be(before.Version.Version + 1);
        var (entry, _) = after.Members.Single();
        entry.SiloAddress.Should().Be(Entry(11111, SiloStatus.Joining).SiloAddress);
        entry.Status.Should().Be(SiloStatus.Joining);
        entry.ProxyPort.Should().Be(11112);
        entry.SiloName.Should().Be("silo-11111");
        entry.StartTime.Should().Be(Start);
    }

    [Test]
    public async Task InsertRow_StaleVersion_ChangesNothing()
    {
        var table = await TableAsync("c1");
        var stale = (await table.ReadAllAsync()).Version;
        (await table.InsertRowAsync(Entry(11111, SiloStatus.Active), stale.Next())).Should().BeTrue();

        (await table.InsertRowAsync(Entry(22222, SiloStatus.Active), stale.Next())).Should().BeFalse("another silo moved the version since this one read it");

        var after = await table.ReadAllAsync();
        after.Members.Should().ContainSingle();
        after.Version.Version.Should().Be(stale.Version + 1);
    }

    [Test]
    public async Task InsertRow_RowExists_ChangesNothing()
    {
        var table = await TableAsync("c1");
        (await table.InsertRowAsync(Entry(11111, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next())).Should().BeTrue();
        var read = await table.ReadAllAsync();

        (await table.InsertRowAsync(Entry(11111, SiloStatus.Joining), read.Version.Next())).Should().BeFalse();

        var after = await table.ReadAllAsync();
        after.Version.Should().Be(read.Version, "a refused insert leaves the version where it was");
        after.Members.Single().Item1.Status.Should().Be(SiloStatus.Active);
    }

    [Test]
    public async Task UpdateRow_TwoSilosOnTheSameVersion_ExactlyOneWins()
    {
        var table = await TableAsync("c1");
        var other = await TableAsync("c1");
        (await table.InsertRowAsync(Entry(11111, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next())).Should().BeTrue();
        var read = await table.ReadAllAsync();
        var (entry, etag) = read.Members.Single();
        var dead = Entry(11111, SiloStatus.Dead);
        var suspected = Entry(11111, SiloStatus.Active);
        suspected.AddSuspector(Entry(22222, SiloStatus.Active).SiloAddress, Start.AddSeconds(5));

        var results = await Task.WhenAll(
            table.UpdateRowAsync(dead, etag, read.Version.Next()),
            other.UpdateRowAsync(suspected, etag, read.Version.Next()));

        results.Count(r => r).Should().Be(1, "both read the same version: the second writer must read again");
        var after = await table.ReadAllAsync();
        after.Version.Version.Should().Be(read.Version.Version + 1);
        var stored = after.Members.Single().Item1;
        if (results[0]) stored.Status.Should().Be(SiloStatus.Dead);
        else stored.SuspectTimes.Should().ContainSingle().Which.Item1.Should().Be(Entry(22222, SiloStatus.Active).SiloAddress);
    }

    [Test]
    public async Task UpdateRow_NoSuchRow_ChangesNothing()
    {
        var table = await TableAsync("c1");
        var read = await table.ReadAllAsync();

        (await table.UpdateRowAsync(Entry(11111, SiloStatus.Dead), string.Empty, read.Version.Next())).Should().BeFalse();

        (await table.ReadAllAsync()).Version.Should().Be(read.Version);
    }

    [Test]
    public async Task UpdateIAmAlive_MovesOnlyTheHeartbeat()
    {
        var table = await TableAsync("c1");
        (await table.InsertRowAsync(Entry(11111, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next())).Should().BeTrue();
        var read = await table.ReadAllAsync();

        await table.UpdateIAmAliveAsync(Entry(11111, SiloStatus.Dead, alive: Start.AddMinutes(1)));

        var after = await table.ReadRowAsync(Entry(11111, SiloStatus.Active).SiloAddress);
        after.Version.Should().Be(read.Version, "a heartbeat is not a membership change");
        after.Members.Single().Item1.IAmAliveTime.Should().Be(Start.AddMinutes(1));
        after.Members.Single().Item1.Status.Should().Be(SiloStatus.Active);
    }

    [Test]
    public async Task ReadRow_UnknownSilo_HasTheVersionAndNoMember()
    {
        var table = await TableAsync("c1");
        (await table.InsertRowAsync(Entry(11111, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next())).Should().BeTrue();

        var row = await table.ReadRowAsync(Entry(22222, SiloStatus.Active).SiloAddress);

        row.Members.Should().BeEmpty();
        row.Version.Version.Should().Be(1);
    }

    [Test]
    public async Task CleanupDefunctSiloEntries_RemovesOnlyInactiveRowsSilentSinceTheDate()
    {
        var table = await TableAsync("c1");
        foreach (var entry in new[]
                 {
                     Entry(11111, SiloStatus.Dead),
                     Entry(22222, SiloStatus.Dead, alive: Start.AddHours(2)),
                     Entry(33333, SiloStatus.Active),
                 })
        {
            (await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next())).Should().BeTrue();
        }

        var version = (await table.ReadAllAsync()).Version;

        await table.CleanupDefunctSiloEntriesAsync(Start.AddHours(1));

        var after = await table.ReadAllAsync();
        after.Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Should().BeEquivalentTo([22222, 33333]);
        after.Version.Should().Be(version);
    }

    [Test]
    public async Task Clusters_SharingTheTables_SeeOnlyTheirOwnMembers()
    {
        var first = await TableAsync("c1");
        var second = await TableAsync("c2");
        (await first.InsertRowAsync(Entry(11111, SiloStatus.Active), (await first.ReadAllAsync()).Version.Next())).Should().BeTrue();
        (await second.InsertRowAsync(Entry(22222, SiloStatus.Active), (await second.ReadAllAsync()).Version.Next())).Should().BeTrue();

        await first.DeleteMembershipTableEntriesAsync("c1");

        (await second.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Should().Equal(22222);
        (await RawDatabase.CountAsync(_location, "SELECT COUNT(*) FROM cluster_membership_version WHERE deployment_id = 'c1'")).Should().Be(0);
    }

    private async Task<AdoNetClusteringTable> TableAsync(string clusterId)
    {
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = clusterId }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = "Npgsql", ConnectionString = _connectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return table;
    }

    private static MembershipEntry Entry(int port, SiloStatus status, DateTime? alive = null) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1),
        SiloName = $"silo-{port}",
        HostName = "test-host",
        Status = status,
        ProxyPort = port + 1,
        StartTime = Start,
        IAmAliveTime = alive ?? Start,
    };

    private async Task<List<string>> StoredQueryKeysAsync()
    {
        await using var connection = await RawDatabase.Dialect(_location).OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT QueryKey FROM OrleansQuery";
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        return keys;
    }
}

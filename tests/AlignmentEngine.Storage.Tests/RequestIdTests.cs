using AlignmentEngine.Core;
using AlignmentEngine.Storage.Tests.Support;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// The request_id a write was sent with (AIP-155), kept in its change log row on every database: found again with its
/// fingerprint, response and version, by another store on the same database too; one version per id and tenant.
/// </summary>
[TestFixture(typeof(SqliteProvider))]
[TestFixture(typeof(PostgresProvider))]
[TestFixture(typeof(SqlServerProvider))]
public sealed class RequestIdTests<TProvider>
    where TProvider : IStoreProvider, new()
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 3, 1);
    private static readonly GoalChange[] OneCheckIn = [new CheckIn("KR0000001", 50, null, null)];

    private string _location = null!;
    private IAlignmentStore _store = null!;

    [SetUp]
    public void OpenStore()
    {
        _location = new TProvider().NewLocation();
        _store = AlignmentStores.Open(_location);
        _store.Migrate();
        _store.Replace(new TreeSnapshot("t", 1, T0, Day, Goals.Company(1)));
    }

    [TearDown]
    public void CloseStore() => _store?.Dispose();

    private static StoredRequest Request(string id, byte fingerprint, params byte[] response) => new(id, [.. Enumerable.Repeat(fingerprint, 32)], response);

    private static ChangeSet CheckIn(string tenant, long version, StoredRequest? request) =>
        new ChangeSet(tenant, version, T0.AddMinutes(version), Day, OneCheckIn, [], []) { Request = request };

    [Test]
    public void Append_WithARequestId_IsFoundWithItsFingerprintResponseAndVersion_FromAnotherStoreToo()
    {
        var sent = Request("0b0e6a49-1d4c-4b8e-9a41-5c2a7c1f3e10", 7, 1, 2, 3);
        _store.Append(CheckIn("t", 2, null));
        _store.Append(CheckIn("t", 3, sent));
        _store.Append(CheckIn("t", 4, null));

        using var other = AlignmentStores.Open(_location);
        var found = other.FindRequest("t", sent.RequestId);

        found.Should().NotBeNull();
        found!.Version.Should().Be(3);
        found.Fingerprint.Should().Equal(sent.Fingerprint);
        found.Response.Should().Equal(sent.Response);
        other.FindRequest("t", "5d7c0a3e-2f3b-4c61-8d0e-6f1a2b3c4d5e").Should().BeNull();
        other.FindRequest("elsewhere", sent.RequestId).Should().BeNull("ids are per tenant");
    }

    [Test]
    public void Replace_WithARequestId_IsFoundAtTheSnapshotsVersion()
    {
        var sent = Request("6e1f0d2c-3b4a-4958-8776-a5b4c3d2e1f0", 9, 4, 5);

        _store.Replace(new TreeSnapshot("t", 2, T0.AddMinutes(1), Day, Goals.Company(2)) { Request = sent });

        _store.FindRequest("t", sent.RequestId)!.Version.Should().Be(2);
    }

    [Test]
    public void Append_ARequestIdTheTenantsLogHolds_ConflictAndNothingWritten()
    {
        var sent = Request("a3c1e5f7-0b2d-4f6a-8c9e-1d3f5a7b9c0e", 1, 1);
        _store.Append(CheckIn("t", 2, sent));

        var again = () => _store.Append(CheckIn("t", 3, Request(sent.RequestId, 2, 2)));

        again.Should().Throw<StoreConflictException>("a request_id names one version of a tenant");
        _store.ListTenants().Should().Equal(new TenantVersion("t", 2));
        _store.ReadLog("t", 0).Select(e => e.Version).Should().Equal(1, 2);
        _store.FindRequest("t", sent.RequestId)!.Fingerprint.Should().Equal(sent.Fingerprint);
    }

    [Test]
    public void Writes_WithoutRequestIds_AndTheSameIdOnAnotherTenant_AreAllKept()
    {
        var id = "c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f";
        _store.Replace(new TreeSnapshot("u", 1, T0, Day, Goals.Company(1)));

        // Many rows without an id (NULL), which a unique index must not count as equal (SQL Server's does, unfiltered).
        _store.Append(CheckIn("t", 2, null));
        _store.Append(CheckIn("t", 3, null));
        _store.Append(CheckIn("t", 4, Request(id, 1, 1)));
        _store.Append(CheckIn("u", 2, Request(id, 2, 2)));

        _store.ListTenants().Should().Equal(new TenantVersion("t", 4), new TenantVersion("u", 2));
        _store.FindRequest("u", id)!.Version.Should().Be(2);
    }
}

using AlignmentEngine.Core;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Storage.Tests.Support;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// What every store must do, written once and run against each database. Each test has a store of its own
/// (its own SQLite file, PostgreSQL schema or SQL Server database).
/// </summary>
[TestFixture(typeof(SqliteProvider))]
[TestFixture(typeof(PostgresProvider))]
[TestFixture(typeof(SqlServerProvider))]
public sealed class StoreConformanceTests<TProvider>
    where TProvider : IStoreProvider, new()
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 3, 1);

    private string _location = null!;
    private IAlignmentStore _store = null!;

    [SetUp]
    public async Task OpenStore()
    {
        _location = new TProvider().NewLocation();
        _store = AlignmentStores.Open(_location);
        await _store.MigrateAsync();
    }

    [TearDown]
    public void CloseStore() => _store?.Dispose();

    [Test]
    public async Task Migrate_RunTwice_AppliesNothingTheSecondTimeAndKeepsData()
    {
        await _store.ReplaceAsync(new TreeSnapshot("a", 1, T0, Day, Goals.Company(3)));

        await _store.MigrateAsync();

        (await _store.ListTenantsAsync()).Should().Equal(new TenantVersion("a", 1));
        (await RawDatabase.CountAsync(_location, "SELECT COUNT(*) FROM schema_version")).Should().Be(Internal.Migrator.Latest);
    }

    [Test]
    public async Task CountGoals_FollowsImportsAndChangeSets_AndIsNullForAnUnknownTenant()
    {
        (await _store.CountGoalsAsync("t")).Should().BeNull("no tenant 't' yet");

        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(5)));
        var afterImport = await _store.CountGoalsAsync("t");
        await _store.AppendAsync(Set(2, [new UpsertGoal(Goals.Company("C2")), new RemoveGoal("KR0000001"), new RemoveGoal("KR0000002")], [Goals.Company("C2")], ["KR0000001", "KR0000002"], goalCount: 5));
        var afterChange = await _store.CountGoalsAsync("t");
        await _store.ReplaceAsync(new TreeSnapshot("t", 3, T0.AddHours(1), Day, Goals.Company(2)));

        afterImport.Should().Be(6, "the import's tree: C1 and five key results");
        afterChange.Should().Be(5, "the count the change set brings: one added, two removed");
        (await _store.CountGoalsAsync("t")).Should().Be(3, "a smaller import replaces the count");
        (await _store.LoadTenantAsync("t"))!.Tree.Goals.Should().HaveCount(3);
    }

    [Test]
    public async Task Migrate_DatabaseFromBeforeGoalCounts_CountsItsTenantsGoals()
    {
        await _store.ReplaceAsync(new TreeSnapshot("a", 1, T0, Day, Goals.Company(4)));
        await _store.ReplaceAsync(new TreeSnapshot("b", 1, T0, Day, Goals.Company(1)));

        // The layout before 0005: no goal_count column, schema version 4.
        var version = Internal.Migrator.Scripts("Migrations/").Single(s => s.Name == "0005_goal_counts").Version;
        await RawDatabase.ExecuteAsync(_location, "ALTER TABLE tenants DROP " + (typeof(TProvider) == typeof(SqlServerProvider) ? "CONSTRAINT tenants_goal_count_default, COLUMN" : "COLUMN") + " goal_count");
        await RawDatabase.ExecuteAsync(_location, $"DELETE FROM schema_version WHERE version >= {version}");

        await _store.MigrateAsync();

        (await _store.CountGoalsAsync("a")).Should().Be(5);
        (await _store.CountGoalsAsync("b")).Should().Be(2);
        (await RawDatabase.CountAsync(_location, "SELECT COUNT(*) FROM schema_version")).Should().Be(Internal.Migrator.Latest);
    }

    [Test]
    public async Task Migrate_SchemaNewerThanCode_Refuses()
    {
        await RawDatabase.ExecuteAsync(_location, "INSERT INTO schema_version (version, name) VALUES (999, 'from_the_future')");

        var migrate = () => AlignmentStores.Open(_location).MigrateAsync();

        await migrate.Should().ThrowAsync<StoreSchemaException>().WithMessage("*999*");
    }

    [Test]
    public async Task ApiKeys_AddListRevoke_KeepHashScopesAndTimes()
    {
        var hash = Enumerable.Range(0, 32).Select(b => (byte)b).ToArray();
        (await _store.ListApiKeysAsync()).Should().BeEmpty();
        await _store.AddApiKeyAsync(new StoredApiKey("k2", "b", ["read"], [9], T0.AddMinutes(1), null));
        await _store.AddApiKeyAsync(new StoredApiKey("k1", "a", ["read", "write"], hash, T0, null));

        (await _store.RevokeApiKeyAsync("k1", T0.AddHours(1))).Should().BeTrue();
        (await _store.RevokeApiKeyAsync("k1", T0.AddHours(2))).Should().BeFalse("a revoked key stays revoked at its first time");
        (await _store.RevokeApiKeyAsync("nope", T0)).Should().BeFalse();

        var keys = await _store.ListApiKeysAsync();
        keys.Select(k => k.Id).Should().Equal("k1", "k2");
        keys[0].Tenant.Should().Be("a");
        keys[0].Scopes.Should().Equal("read", "write");
        keys[0].Hash.Should().Equal(hash);
        keys[0].CreatedAt.Should().Be(T0);
        keys[0].RevokedAt.Should().Be(T0.AddHours(1));
        keys[1].RevokedAt.Should().BeNull();
    }

    [Test]
    public async Task ApiKeys_Create_StoresOnlyTheSecretsHash_BoundToItsTenant()
    {
        var (created, text) = await ApiKeys.CreateAsync(_store, "acme", [ApiScopes.Read, ApiScopes.Write, ApiScopes.Read], T0);
        await ApiKeys.CreateAsync(_store, "other", [ApiScopes.Admin], T0);

        ApiKeys.TryParse(text, out var id, out var secret).Should().BeTrue();
        var stored = (await _store.ListApiKeysAsync()).Single(k => k.Id == id);
        stored.Should().BeEquivalentTo(created);
        stored.Tenant.Should().Be("acme");
        stored.Scopes.Should().Equal(ApiScopes.Read, ApiScopes.Write);
        stored.Hash.Should().Equal(ApiKeys.Hash(secret));
        (await RawDatabase.CountAsync(_location, $"SELECT COUNT(*) FROM api_keys WHERE scopes LIKE '%{secret}%' OR tenant LIKE '%{secret}%' OR id LIKE '%{secret}%'"))
            .Should().Be(0, "the secret itself is kept nowhere");
        (await ApiKeys.AnyExistAsync(_store)).Should().BeTrue();
    }

    [Test]
    public async Task ApiKeys_Revoked_StillCountAsExisting_SoKeysStayRequired()
    {
        var (created, _) = await ApiKeys.CreateAsync(_store, "acme", [ApiScopes.Read], T0);

        (await _store.RevokeApiKeyAsync(created.Id, T0.AddMinutes(1))).Should().BeTrue();

        (await ApiKeys.AnyExistAsync(_store)).Should().BeTrue();
        (await _store.ListApiKeysAsync()).Single().RevokedAt.Should().Be(T0.AddMinutes(1));
    }

    [Test]
    public async Task Replace_ThenLoad_ReturnsTheTreeWithEveryField()
    {
        var tree = Goals.Tree(
            Goals.Company("C1"),
            Goals.Company("C2") with { State = GoalState.Paused, ProgressOverride = 0.25 },
            Goals.KeyResult("KR1", 40, new ParentLink("C1", 2.5), new ParentLink("C2", 1, Contributes: false)),
            new GoalDefinition("M1", GoalType.KeyResult) { Metric = new Metric(MetricDirection.Milestone, Current: 1), Parents = [new ParentLink("C2")] },
            new GoalDefinition("S1", GoalType.KeyResult) { Metric = new Metric(MetricDirection.AtMost, 10, 2, Aggregate: MetricAggregate.Sum), Parents = [new ParentLink("C1")] });

        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, tree));
        var loaded = (await _store.LoadTenantAsync("t"))!;

        loaded.Version.Should().Be(1);
        loaded.CommittedAt.Should().Be(T0);
        loaded.Tree.Goals.Should().Equal(tree.Goals.OrderBy(g => g.Id, StringComparer.Ordinal));
        loaded.Tree.Periods.Should().BeEquivalentTo(tree.Periods);
        loaded.Tree.DefaultPeriod.Should().Be(tree.DefaultPeriod);
        loaded.Tree.Settings.Should().Be(tree.Settings);
    }

    [Test]
    public async Task Replace_SecondImport_RemovesGoalsTheNewTreeLacks()
    {
        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(5)));

        await _store.ReplaceAsync(new TreeSnapshot("t", 2, T0.AddHours(1), Day, Goals.Company(2)));

        (await _store.LoadTenantAsync("t"))!.Tree.Goals.Select(g => g.Id).Should().Equal("C1", "KR0000001", "KR0000002");
    }

    [Test]
    public async Task Append_ChangeSets_LoadReflectsEveryChange()
    {
        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(2)));
        var moved = Goals.KeyResult("KR0000001", 77, new ParentLink("C1", 3));
        var added = Goals.KeyResult("KR9", 5, new ParentLink("C1"));

        await _store.AppendAsync(Set(2, [new CheckIn("KR0000001", 77)], [moved], []));
        await _store.AppendAsync(Set(3, [new UpsertGoal(added), new RemoveGoal("KR0000002")], [added], ["KR0000002"]));

        var loaded = (await _store.LoadTenantAsync("t"))!;
        loaded.Version.Should().Be(3);
        loaded.Tree.Goals.Select(g => g.Id).Should().Equal("C1", "KR0000001", "KR9");
        loaded.Tree.Goals[1].Should().Be(moved);
        loaded.Tree.Goals[2].Should().Be(added);
    }

    [Test]
    public async Task Append_NewTenant_StartsAtVersionOne()
    {
        await _store.AppendAsync(Set(1, [new UpsertGoal(Goals.Company("C1"))], [Goals.Company("C1")], []));

        (await _store.ListTenantsAsync()).Should().Equal(new TenantVersion("t", 1));
        (await _store.LoadTenantAsync("t"))!.Tree.Goals.Should().ContainSingle().Which.Should().Be(Goals.Company("C1"));
    }

    [Test]
    public async Task Append_VersionAlreadyCommitted_ConflictsAndWritesNothing()
    {
        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(1)));
        await _store.AppendAsync(Set(2, [new CheckIn("KR0000001", 10)], [Goals.KeyResult("KR0000001", 10, new ParentLink("C1"))], []));

        var again = () => _store.AppendAsync(Set(2, [new CheckIn("KR0000001", 99)], [Goals.KeyResult("KR0000001", 99, new ParentLink("C1"))], []));
        var skipping = () => _store.AppendAsync(Set(4, [new CheckIn("KR0000001", 99)], [Goals.KeyResult("KR0000001", 99, new ParentLink("C1"))], []));

        await again.Should().ThrowAsync<StoreConflictException>();
        await skipping.Should().ThrowAsync<StoreConflictException>();
        var loaded = (await _store.LoadTenantAsync("t"))!;
        loaded.Version.Should().Be(2);
        loaded.Tree.Goals.Single(g => g.Id == "KR0000001").Metric!.Current.Should().Be(10);
        (await _store.ReadCheckInsAsync("t", "KR0000001")).Select(c => c.Value).Should().Equal(10);
    }

    [Test]
    public async Task Append_ManyWritersOfOneVersion_ExactlyOneCommits()
    {
        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(1)));
        using var start = new ManualResetEventSlim();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            using var own = AlignmentStores.Open(_location);
            start.Wait();
            try
            {
                await own.AppendAsync(Set(2, [new CheckIn("KR0000001", w)], [Goals.KeyResult("KR0000001", w, new ParentLink("C1"))], []));
                return true;
            }
            catch (StoreConflictException)
            {
                return false;
            }
        })).Append(Task.Run(() =>
        {
            start.Set();
            return false;
        })));

        outcomes.Count(won => won).Should().Be(1);
        (await _store.LoadTenantAsync("t"))!.Version.Should().Be(2);
        (await _store.ReadLogAsync("t", 1)).Should().ContainSingle();
    }

    [Test]
    public async Task ReadLog_AfterVersion_ReturnsTheOperationsAsCommitted()
    {
        IReadOnlyList<GoalChange>[] changes =
        [
            [new UpsertGoal(Goals.Company("C1")), new UpsertGoal(Goals.KeyResult("K", 0, new ParentLink("C1")))],
            [new CheckIn("K", 12.5, T0.AddMinutes(-5), 0.8), new SetOverride("C1", 0.5), new SetOverride("C1", null)],
            [new SetState("K", GoalState.Paused), new SetWeight("K", "C1", 2), new AddEdge("K", new ParentLink("C2", 0.5, false)), new RemoveEdge("K", "C2")],
        ];
        for (var k = 0; k < changes.Length; k++) await _store.AppendAsync(new ChangeSet("t", k + 1, T0.AddMinutes(k), Day.AddDays(k), changes[k], [], [], 0));

        var log = await _store.ReadLogAsync("t", 1);

        log.Select(e => e.Version).Should().Equal(2, 3);
        log.Select(e => e.CommittedAt).Should().Equal(T0.AddMinutes(1), T0.AddMinutes(2));
        log.Select(e => e.AsOf).Should().Equal(Day.AddDays(1), Day.AddDays(2));
        log[0].Changes.Should().Equal(changes[1]);
        log[1].Changes.Should().Equal(changes[2]);
    }

    [Test]
    public async Task ReadHistory_FromTheLastSnapshotBeforeTheStart_ThroughTheEnd()
    {
        await _store.AppendAsync(Set(1, [new UpsertGoal(Goals.Company("C0"))], [Goals.Company("C0")], [], T0));
        await _store.ReplaceAsync(new TreeSnapshot("t", 2, T0.AddDays(1), Day, Goals.Company(1)));
        await _store.AppendAsync(Set(3, [new CheckIn("KR0000001", 10)], [], [], T0.AddDays(2)));
        await _store.ReplaceAsync(new TreeSnapshot("t", 4, T0.AddDays(3), Day, Goals.Company(2)));
        await _store.AppendAsync(Set(5, [new CheckIn("KR0000001", 20)], [], [], T0.AddDays(4)));

        var beforeAnything = await _store.ReadHistoryAsync("t", T0, T0);
        var middle = await _store.ReadHistoryAsync("t", T0.AddDays(2.5), T0.AddDays(3.5));
        var all = await _store.ReadHistoryAsync("t", T0.AddDays(-1), T0.AddDays(9));

        beforeAnything.Should().BeEmpty();
        middle.Select(e => e.Version).Should().Equal(2, 3, 4);
        middle[0].Tree!.Goals.Select(g => g.Id).Should().Equal("C1", "KR0000001");
        middle[2].Tree!.Goals.Should().HaveCount(3);
        all.Select(e => e.Version).Should().Equal(1, 2, 3, 4, 5);
    }

    [Test]
    public async Task ReadCheckIns_EveryCheckInInCommitOrder_NeverOverwritten()
    {
        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(1)));
        await _store.AppendAsync(Set(2, [new CheckIn("KR0000001", 10, T0.AddDays(-1), 0.9)], [], [], T0.AddHours(1)));
        await _store.AppendAsync(Set(3, [new CheckIn("KR0000001", 20), new CheckIn("KR0000001", 30)], [], [], T0.AddHours(2)));

        var checkIns = await _store.ReadCheckInsAsync("t", "KR0000001");

        checkIns.Should().Equal(
            new StoredCheckIn(2, "KR0000001", 10, T0.AddDays(-1), 0.9, T0.AddHours(1)),
            new StoredCheckIn(3, "KR0000001", 20, null, null, T0.AddHours(2)),
            new StoredCheckIn(3, "KR0000001", 30, null, null, T0.AddHours(2)));
    }

    [Test]
    public async Task LoadTenant_Unknown_IsNull() => (await _store.LoadTenantAsync("nobody")).Should().BeNull();

    [Test]
    public async Task CanWrite_ReachableDatabase_IsTrue() => (await _store.CanWriteAsync()).Should().BeTrue();

    [Test]
    public async Task Append_WithARequestId_IsFoundWithItsFingerprintResponseAndVersion_FromAnotherStoreToo()
    {
        var sent = Request("0b0e6a49-1d4c-4b8e-9a41-5c2a7c1f3e10", 7, 1, 2, 3);
        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(1)));
        await _store.AppendAsync(CheckInSet(2, null));
        await _store.AppendAsync(CheckInSet(3, sent));
        await _store.AppendAsync(CheckInSet(4, null));

        using var other = AlignmentStores.Open(_location);
        var found = await other.FindRequestAsync("t", sent.RequestId);

        found.Should().NotBeNull();
        found!.Version.Should().Be(3);
        found.Fingerprint.Should().Equal(sent.Fingerprint);
        found.Response.Should().Equal(sent.Response);
        (await other.FindRequestAsync("t", "5d7c0a3e-2f3b-4c61-8d0e-6f1a2b3c4d5e")).Should().BeNull();
        (await other.FindRequestAsync("elsewhere", sent.RequestId)).Should().BeNull("ids are per tenant");
    }

    [Test]
    public async Task Replace_WithARequestId_IsFoundAtTheSnapshotsVersion()
    {
        var sent = Request("6e1f0d2c-3b4a-4958-8776-a5b4c3d2e1f0", 9, 4, 5);
        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(1)));

        await _store.ReplaceAsync(new TreeSnapshot("t", 2, T0.AddMinutes(1), Day, Goals.Company(2)) { Request = sent });

        (await _store.FindRequestAsync("t", sent.RequestId))!.Version.Should().Be(2);
    }

    [Test]
    public async Task Append_ARequestIdTheTenantsLogHolds_ConflictAndNothingWritten()
    {
        var sent = Request("a3c1e5f7-0b2d-4f6a-8c9e-1d3f5a7b9c0e", 1, 1);
        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(1)));
        await _store.AppendAsync(CheckInSet(2, sent));

        var again = () => _store.AppendAsync(CheckInSet(3, Request(sent.RequestId, 2, 2)));

        await again.Should().ThrowAsync<StoreConflictException>("a request_id names one version of a tenant");
        (await _store.ListTenantsAsync()).Should().Equal(new TenantVersion("t", 2));
        (await _store.ReadLogAsync("t", 0)).Select(e => e.Version).Should().Equal(1, 2);
        (await _store.FindRequestAsync("t", sent.RequestId))!.Fingerprint.Should().Equal(sent.Fingerprint);
    }

    [Test]
    public async Task Writes_WithoutRequestIds_AndTheSameIdOnAnotherTenant_AreAllKept()
    {
        var id = "c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f";
        await _store.ReplaceAsync(new TreeSnapshot("t", 1, T0, Day, Goals.Company(1)));
        await _store.ReplaceAsync(new TreeSnapshot("u", 1, T0, Day, Goals.Company(1)));

        // Many rows without an id (NULL), which a unique index must not count as equal (SQL Server's does, unfiltered).
        await _store.AppendAsync(CheckInSet(2, null));
        await _store.AppendAsync(CheckInSet(3, null));
        await _store.AppendAsync(CheckInSet(4, Request(id, 1, 1)));
        await _store.AppendAsync(CheckInSet(2, Request(id, 2, 2)) with { Tenant = "u" });

        (await _store.ListTenantsAsync()).Should().Equal(new TenantVersion("t", 4), new TenantVersion("u", 2));
        (await _store.FindRequestAsync("u", id))!.Version.Should().Be(2);
    }

    /// <summary>A write's request_id as its log row keeps it: the id, a 32-byte fingerprint of one repeated byte, the response.</summary>
    private static StoredRequest Request(string id, byte fingerprint, params byte[] response) => new(id, [.. Enumerable.Repeat(fingerprint, 32)], response);

    /// <summary>One check-in on KR0000001 of tenant t, as <paramref name="version"/>, sent with <paramref name="request"/> (or without).</summary>
    private static ChangeSet CheckInSet(long version, StoredRequest? request) => Set(version, [new CheckIn("KR0000001", 50)], [], []) with { Request = request };

    private static ChangeSet Set(
        long version, IReadOnlyList<GoalChange> changes, IReadOnlyList<GoalDefinition> goals, IReadOnlyList<string> removed, DateTimeOffset? at = null, int goalCount = 0) =>
        new("t", version, at ?? T0.AddMinutes(version), Day, changes, goals, removed, goalCount);
}

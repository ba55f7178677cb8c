using AlignmentEngine.Api.V1;
using Grpc.Core;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Storage;
using Grpc.Health.V1;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// API keys and tenancy through the real server and client: every call needs a valid key once keys exist, each
/// call its scope, and a key sees only its own tenant (others look exactly like tenants with no goals).
/// </summary>
public sealed class AuthenticationTests : ServerFixture
{
    private string _adminA = null!;
    private string _readA = null!;
    private string _writeA = null!;
    private string _adminB = null!;

    protected override void Configure(AlignmentServiceOptions options) => options.ApiKeyCacheTime = TimeSpan.Zero;

    [OneTimeSetUp]
    public async Task CreateKeysAndTenants()
    {
        using (var store = AlignmentStores.Open(StoreLocation))
        {
            _adminA = (await ApiKeys.CreateAsync(store, "a", [ApiScopes.Admin], DateTimeOffset.UtcNow)).Text;
            _readA = (await ApiKeys.CreateAsync(store, "a", [ApiScopes.Read], DateTimeOffset.UtcNow)).Text;
            _writeA = (await ApiKeys.CreateAsync(store, "a", [ApiScopes.Write], DateTimeOffset.UtcNow)).Text;
            _adminB = (await ApiKeys.CreateAsync(store, "b", [ApiScopes.Admin], DateTimeOffset.UtcNow)).Text;
        }

        await Client.ApplyChangesAsync(Changes("a", Upsert(Objective("C1", GoalLevel.Company))), As(_adminA));
        await Client.ApplyChangesAsync(Changes("b", Upsert(Objective("SECRET", GoalLevel.Company))), As(_adminB));
    }

    private static CallOptions As(string key) => new(new Metadata { { "authorization", $"Bearer {key}" } });

    private static GetGoalRequest Goal(string tenant, string id) => new() { Name = $"tenants/{tenant}/goals/{id}" };

    [Test]
    public void NoKey_Unauthenticated()
    {
        Assert.ThrowsAsync<RpcException>(() => Client.GetGoalAsync(Goal("a", "C1")).ResponseAsync)!.StatusCode.Should().Be(StatusCode.Unauthenticated);
        Assert.ThrowsAsync<RpcException>(() => Client.ValidateTreeAsync(new ValidateTreeRequest()).ResponseAsync)!.StatusCode.Should().Be(StatusCode.Unauthenticated);
    }

    [Test]
    public async Task Health_NeedsNoKey()
    {
        var response = await new Grpc.Health.V1.Health.HealthClient(Channel).CheckAsync(new HealthCheckRequest());

        response.Status.Should().Be(HealthCheckResponse.Types.ServingStatus.Serving);
    }

    [TestCase("okr_nothex_AAAA")]
    [TestCase("not-a-key")]
    [TestCase("")]
    public void MalformedOrUnknownKey_Unauthenticated(string key)
    {
        var error = Assert.ThrowsAsync<RpcException>(() => Client.GetGoalAsync(Goal("a", "C1"), As(key)).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.Unauthenticated);
    }

    [Test]
    public void KnownIdWrongSecret_Unauthenticated()
    {
        ApiKeys.TryParse(_adminA, out var id, out _).Should().BeTrue();

        var error = Assert.ThrowsAsync<RpcException>(() => Client.GetGoalAsync(Goal("a", "C1"), As($"okr_{id}_{new string('A', 43)}")).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.Unauthenticated);
    }

    [Test]
    public async Task RevokedKey_Unauthenticated()
    {
        string key;
        using (var store = AlignmentStores.Open(StoreLocation))
        {
            var created = await ApiKeys.CreateAsync(store, "a", [ApiScopes.Read], DateTimeOffset.UtcNow);
            key = created.Text;
            (await Client.GetGoalAsync(Goal("a", "C1"), As(key))).Goal.GoalId.Should().Be("C1");
            (await store.RevokeApiKeyAsync(created.Key.Id, DateTimeOffset.UtcNow)).Should().BeTrue();
        }

        var error = Assert.ThrowsAsync<RpcException>(() => Client.GetGoalAsync(Goal("a", "C1"), As(key)).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.Unauthenticated);
        error.Status.Detail.Should().Contain("revoked");
    }

    [Test]
    public async Task RevokedKey_EndsItsOpenWatchWithUnauthenticated()
    {
        using var store = AlignmentStores.Open(StoreLocation);
        var created = await ApiKeys.CreateAsync(store, "a", [ApiScopes.Read], DateTimeOffset.UtcNow);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var options = new CallOptions(new Metadata { { "authorization", $"Bearer {created.Text}" } }, cancellationToken: cancel.Token);
        using var watch = Client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/a" }, options);
        await watch.ResponseHeadersAsync;
        var next = watch.ResponseStream.MoveNext(CancellationToken.None);

        (await store.RevokeApiKeyAsync(created.Key.Id, DateTimeOffset.UtcNow)).Should().BeTrue();

        // No change is committed meanwhile: the watch ends because its key went, not because something woke it.
        var error = (await FluentActions.Awaiting(() => next).Should().ThrowAsync<RpcException>()).Which;
        error.StatusCode.Should().Be(StatusCode.Unauthenticated);
        error.Status.Detail.Should().Contain("revoked");
    }

    [Test]
    public async Task ReadKey_ReadsAndSimulates_ButCannotWrite()
    {
        (await Client.GetGoalAsync(Goal("a", "C1"), As(_readA))).Goal.GoalId.Should().Be("C1");
        (await Client.ListGoalsAsync(new ListGoalsRequest { Parent = "tenants/a" }, As(_readA))).Goals.Should().HaveCount(1);
        var simulation = new SimulateChangesRequest { Parent = "tenants/a", AsOf = Date(2026, 11, 15) };
        simulation.Changes.Add(Upsert(Objective("C2", GoalLevel.Company)));
        await Client.SimulateChangesAsync(simulation, As(_readA));

        Assert.ThrowsAsync<RpcException>(() => Client.ApplyChangesAsync(Changes("a", Upsert(Objective("C3", GoalLevel.Company))), As(_readA)).ResponseAsync)!
            .StatusCode.Should().Be(StatusCode.PermissionDenied);
        Assert.ThrowsAsync<RpcException>(() => Client.RecordCheckInsAsync(new RecordCheckInsRequest { Parent = "tenants/a" }, As(_readA)).ResponseAsync)!
            .StatusCode.Should().Be(StatusCode.PermissionDenied);
        Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = Client.ImportTree(As(_readA));
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        })!.StatusCode.Should().Be(StatusCode.PermissionDenied);
    }

    [Test]
    public async Task WriteKey_WritesAndValidates_ButCannotRead()
    {
        await Client.ApplyChangesAsync(Changes("a", Upsert(Objective("W1", GoalLevel.Company))), As(_writeA));
        (await Client.ValidateTreeAsync(new ValidateTreeRequest { Tree = new Api.V1.GoalTree() }, As(_writeA))).Should().NotBeNull();

        var error = Assert.ThrowsAsync<RpcException>(() => Client.GetGoalAsync(Goal("a", "C1"), As(_writeA)).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.PermissionDenied);
        error.Status.Detail.Should().Contain("'read'");
    }

    [Test]
    public void OtherTenant_LooksExactlyLikeATenantWithNoGoals()
    {
        // Tenant b exists (it holds SECRET); tenant nobody does not. Key a must not tell them apart, for any call.
        RpcException Error(Func<Task> call) => Assert.ThrowsAsync<RpcException>(() => call())!;
        var calls = new Dictionary<string, Func<string, Func<Task>>>
        {
            ["GetGoal"] = t => () => Client.GetGoalAsync(Goal(t, "SECRET"), As(_adminA)).ResponseAsync,
            ["ListGoals"] = t => () => Client.ListGoalsAsync(new ListGoalsRequest { Parent = $"tenants/{t}" }, As(_adminA)).ResponseAsync,
            ["GetTree"] = t => () => Client.GetTreeAsync(new GetTreeRequest { Name = $"tenants/{t}/goals/SECRET" }, As(_adminA)).ResponseAsync,
            ["AnalyzeAlignment"] = t => () => Client.AnalyzeAlignmentAsync(new AnalyzeAlignmentRequest { Parent = $"tenants/{t}" }, As(_adminA)).ResponseAsync,
        };

        foreach (var (name, call) in calls)
        {
            var existing = Error(call("b"));
            var absent = Error(call("nobody"));
            existing.StatusCode.Should().Be(StatusCode.NotFound, name);
            existing.StatusCode.Should().Be(absent.StatusCode, name);
            existing.Status.Detail.Replace("'b'", "'X'", StringComparison.Ordinal).Should().Be(absent.Status.Detail.Replace("'nobody'", "'X'", StringComparison.Ordinal), name);
        }
    }

    [Test]
    public async Task OtherTenant_CannotBeWrittenWatchedOrExported()
    {
        Assert.ThrowsAsync<RpcException>(() => Client.ApplyChangesAsync(Changes("b", Upsert(Objective("EVIL", GoalLevel.Company))), As(_adminA)).ResponseAsync)!
            .StatusCode.Should().Be(StatusCode.NotFound);
        Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = Client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/b" }, As(_adminA));
            await call.ResponseStream.MoveNext(CancellationToken.None);
        })!.StatusCode.Should().Be(StatusCode.NotFound);

        // Tenant b is untouched, as its own key sees it.
        var goals = await Client.ListGoalsAsync(new ListGoalsRequest { Parent = "tenants/b" }, As(_adminB));
        goals.Goals.Select(g => g.GoalId).Should().Equal("SECRET");
    }
}

using AlignmentEngine.Api.V1;
using Grpc.Core;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;
using static AlignmentEngine.Storage.Tests.Support.Requests;

namespace AlignmentEngine.EndToEnd.Tests;

/// <summary>
/// <c>okr keys create|list|revoke</c> and <c>okr serve</c> with and without keys, all as real processes, on each
/// database (the keys live in the store).
/// </summary>
[TestFixture(typeof(SqliteProvider))]
[TestFixture(typeof(PostgresProvider))]
[TestFixture(typeof(SqlServerProvider))]
public sealed class KeysCommandTests<TProvider>
    where TProvider : IStoreProvider, new()
{
    private static CallOptions As(string key) => new(new Metadata { { "authorization", $"Bearer {key}" } });

    [Test]
    public void CreateListRevoke_ShowsTheSecretOnceAndNeverAgain()
    {
        var store = new TProvider().NewLocation();

        var created = OkrKeys.Run("create", "--tenant", "acme", "--scopes", "read,write", "--store", store);

        created.ExitCode.Should().Be(0, created.Error);
        var key = created.Output.Trim();
        key.Should().MatchRegex("^okr_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$");
        var id = key.Split('_')[1];
        created.Error.Should().Contain(id).And.Contain("shown only now");

        var listed = OkrKeys.Run("list", "--tenant", "acme", "--store", store);
        listed.ExitCode.Should().Be(0, listed.Error);
        listed.Output.Should().Contain($"{id}\tacme\tread,write\t").And.NotContain(key[(id.Length + 5)..]);
        listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().Should().EndWith("\t-");

        var revoked = OkrKeys.Run("revoke", id, "--store", store);
        revoked.ExitCode.Should().Be(0, revoked.Error);
        OkrKeys.Run("list", "--store", store).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().Should().NotEndWith("\t-");
        OkrKeys.Run("revoke", id, "--store", store).ExitCode.Should().Be(2, "a key is revoked once");
        OkrKeys.Run("list", "--tenant", "other", "--store", store).Output.Should().NotContain(id);
    }

    [TestCase("--tenant", "Not_A_Tenant", "--scopes", "read")]
    [TestCase("--tenant", "acme", "--scopes", "read,root")]
    [TestCase("--tenant", "acme", "--scopes", ",")]
    public void Create_BadTenantOrScopes_IsAUsageErrorAndStoresNothing(params string[] args)
    {
        var store = new TProvider().NewLocation();

        var run = OkrKeys.Run(["create", .. args, "--store", store]);

        run.ExitCode.Should().Be(2);
        run.Output.Should().BeEmpty();
        OkrKeys.Run("list", "--store", store).Output.Trim().Split('\n').Should().HaveCount(1, "only the header");
    }

    [Test]
    public void Serve_NoKeys_RefusesANonLoopbackAddress()
    {
        var (exitCode, error) = OkrServer.Refused(new TProvider().NewLocation(), "0.0.0.0:0", "--allow-cleartext");

        exitCode.Should().Be(2);
        error.Should().Contain("loopback only");
    }

    [Test]
    public async Task Serve_LimitOptions_AreApplied()
    {
        var store = new TProvider().NewLocation();
        var key = OkrKeys.Run("create", "--tenant", "acme", "--scopes", "admin", "--store", store).Output.Trim();
        using var server = OkrServer.Start(store, "--rate-limit-per-key", "0.1", "--rate-limit-burst", "2", "--max-changes-per-request", "1");

        var tooMany = Assert.ThrowsAsync<RpcException>(() => server.Client.ApplyChangesAsync(Changes("acme", Upsert(Goals.Objective("C1")), Upsert(Goals.Objective("C2"))), As(key)).ResponseAsync)!;
        await server.Client.ApplyChangesAsync(Changes("acme", Upsert(Goals.Objective("C1"))), As(key));
        var limited = Assert.ThrowsAsync<RpcException>(() => server.Client.ApplyChangesAsync(Changes("acme", Upsert(Goals.Objective("C2"))), As(key)).ResponseAsync)!;

        tooMany.Status.Detail.Should().Contain("max_changes_per_request");
        limited.StatusCode.Should().Be(StatusCode.ResourceExhausted);
        limited.Status.Detail.Should().Contain("rate_limit_per_key");
    }

    [Test]
    public async Task Serve_MaxConcurrentStreamsPerKey_IsApplied()
    {
        var store = new TProvider().NewLocation();
        var key = OkrKeys.Run("create", "--tenant", "acme", "--scopes", "admin", "--store", store).Output.Trim();
        using var server = OkrServer.Start(store, "--max-concurrent-streams-per-key", "1");
        using var watch = server.Client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/acme" }, As(key));
        await watch.ResponseHeadersAsync;

        var refused = Assert.ThrowsAsync<RpcException>(() => server.Client.ApplyChangesAsync(Changes("acme", Upsert(Goals.Objective("C1"))), As(key)).ResponseAsync)!;

        refused.StatusCode.Should().Be(StatusCode.ResourceExhausted);
        refused.Status.Detail.Should().Contain("max_concurrent_streams_per_key").And.Contain("is 1");
    }

    [TestCase("--rate-limit-per-key", "-1")]
    [TestCase("--max-watchers-per-tenant", "0")]
    [TestCase("--rate-limit-burst", "many")]
    [TestCase("--max-concurrent-streams-per-key", "0")]
    [TestCase("--max-streams-per-connection", "-5")]
    [TestCase("--request-body-timeout", "0")]
    [TestCase("--request-body-timeout", "10s")]
    [TestCase("--request-body-timeout", "3601")]
    public void Serve_BadLimit_IsAUsageError(string option, string value)
    {
        var (exitCode, error) = OkrServer.Refused(new TProvider().NewLocation(), "127.0.0.1:0", option, value);

        exitCode.Should().Be(2);
        error.Should().Contain(option);
    }

    [Test]
    public async Task Serve_WithAKey_NeedsIt_AndARevokedKeyStopsWorkingWithinSeconds()
    {
        var store = new TProvider().NewLocation();
        var key = OkrKeys.Run("create", "--tenant", "acme", "--scopes", "admin", "--store", store).Output.Trim();
        using var server = OkrServer.Start(store);

        Assert.ThrowsAsync<RpcException>(() => server.Client.ApplyChangesAsync(Changes("acme", Upsert(Goals.Objective("C1")))).ResponseAsync)!
            .StatusCode.Should().Be(StatusCode.Unauthenticated);
        await server.Client.ApplyChangesAsync(Changes("acme", Upsert(Goals.Objective("C1"))), As(key));

        OkrKeys.Run("revoke", key.Split('_')[1], "--store", store).ExitCode.Should().Be(0);

        // The service reads keys again every 2 s: the revocation must show within a few seconds.
        var until = DateTime.UtcNow.AddSeconds(10);
        StatusCode? last = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                await server.Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/acme/goals/C1" }, As(key));
            }
            catch (RpcException e)
            {
                last = e.StatusCode;
                break;
            }

            await Task.Delay(200);
        }

        last.Should().Be(StatusCode.Unauthenticated);
    }
}

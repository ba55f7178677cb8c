using AlignmentEngine.Api.V1;
using Grpc.Core;
using AlignmentEngine.Service.Tenants;
using AlignmentEngine.Storage.Tests.Support;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using static AlignmentEngine.Storage.Tests.Support.Requests;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// While the database cannot commit: writes answer UNAVAILABLE and apply nothing, reads are served from memory,
/// health says NOT_SERVING for the writes; when it is back, all of that recovers by itself.
/// </summary>
public abstract class UnavailabilityTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>A store location that <see cref="BeginOutage"/> can take away.</summary>
    protected abstract string Location();

    protected abstract void BeginOutage();

    protected abstract void EndOutage();

    [Test]
    public async Task ApplyChanges_DatabaseGoneThenBack_UnavailableReadsServedHealthFollowsAndWritesRecover()
    {
        await using var server = await TestServer.StartAsync(Location(), configure: o => o.StoreTimeout = TimeSpan.FromSeconds(1));
        var client = server.Client;
        await client.ApplyChangesAsync(Changes("u", Upsert(Goals.Objective("C1")), Upsert(Goals.KeyResult("K", 10, new Core.ParentLink("C1")))));
        // Eventually, not at once: with a one-second store timeout, a store call slowed past it by a loaded machine
        // reports the store unavailable until the probe commits again, which is the behaviour under test, not a fault.
        await Eventually.HoldsAsync(async () => await server.HealthAsync(StoreHealth.WritesService) == ServingStatus.Serving, Deadline, "writes SERVING before the outage");

        BeginOutage();
        try
        {
            var write = () => client.ApplyChangesAsync(Changes("u", CheckIn("K", 20))).ResponseAsync;
            var refused = (await write.Should().ThrowAsync<RpcException>()).Which;
            refused.StatusCode.Should().Be(StatusCode.Unavailable);
            refused.Status.Detail.Should().Be("the change was not applied: the store is unavailable; retry later",
                "the store's path or connection string (and the driver's words about it) go to the log only");

            var read = await client.GetGoalAsync(new GetGoalRequest { Name = "tenants/u/goals/K" });
            read.Goal.Metric.Current.Should().Be(10, "the refused check-in was not applied in memory");
            read.Version.Should().Be(1);
            (await server.HealthAsync(StoreHealth.WritesService)).Should().Be(ServingStatus.NotServing);
            (await server.HealthAsync(string.Empty)).Should().Be(ServingStatus.Serving, "reads are still served");
        }
        finally
        {
            EndOutage();
        }

        await Eventually.HoldsAsync(async () => await server.HealthAsync(StoreHealth.WritesService) == ServingStatus.Serving, Deadline, "writes SERVING again");
        var after = await client.ApplyChangesAsync(Changes("u", CheckIn("K", 30)));
        after.Version.Should().Be(2);
        (await client.GetGoalAsync(new GetGoalRequest { Name = "tenants/u/goals/K" })).Goal.Metric.Current.Should().Be(30);
    }
}

/// <summary>SQLite: another process holds the file's write lock longer than the service waits.</summary>
public sealed class SqliteUnavailabilityTests : UnavailabilityTests
{
    private string _path = null!;
    private SqliteConnection? _holder;
    private SqliteTransaction? _lock;

    protected override string Location()
    {
        var location = new SqliteProvider().NewLocation();
        _path = location["sqlite:".Length..];
        return location;
    }

    protected override void BeginOutage()
    {
        _holder = new SqliteConnection($"Data Source={_path}");
        _holder.Open();
        _lock = _holder.BeginTransaction();
        using var command = _holder.CreateCommand();
        command.Transaction = _lock;
        command.CommandText = "UPDATE tenants SET settings = settings";
        command.ExecuteNonQuery();
    }

    protected override void EndOutage()
    {
        _lock?.Rollback();
        _lock?.Dispose();
        _holder?.Dispose();
    }
}

/// <summary>PostgreSQL: the service reaches the server through a proxy, which is cut and restored.</summary>
public sealed class PostgresUnavailabilityTests : UnavailabilityTests
{
    private TcpProxy? _proxy;

    protected override string Location()
    {
        var location = TestPostgres.NewSchemaLocation();
        var builder = new NpgsqlConnectionStringBuilder(location["postgres:".Length..]);
        _proxy = new TcpProxy(builder.Host!, builder.Port);
        builder.Host = "127.0.0.1";
        builder.Port = _proxy.Port;
        return $"postgres:{builder}";
    }

    protected override void BeginOutage() => _proxy!.Cut();

    protected override void EndOutage() => _proxy!.Restore();

    [TearDown]
    public void StopProxy() => _proxy?.Dispose();
}

/// <summary>SQL Server: the service reaches the server through a proxy, which is cut and restored.</summary>
public sealed class SqlServerUnavailabilityTests : UnavailabilityTests
{
    private TcpProxy? _proxy;

    protected override string Location()
    {
        var location = new SqlServerProvider().NewLocation();
        var builder = new SqlConnectionStringBuilder(location["sqlserver:".Length..]);

        // Data Source is [tcp:]host[,port]: 1433 unless a port is given.
        var server = builder.DataSource.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase) ? builder.DataSource[4..] : builder.DataSource;
        var comma = server.IndexOf(',', StringComparison.Ordinal);
        var port = comma < 0 ? 1433 : int.Parse(server[(comma + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        _proxy = new TcpProxy(comma < 0 ? server : server[..comma], port);
        builder.DataSource = $"127.0.0.1,{_proxy.Port}";
        return $"sqlserver:{builder}";
    }

    protected override void BeginOutage() => _proxy!.Cut();

    protected override void EndOutage() => _proxy!.Restore();

    [TearDown]
    public void StopProxy() => _proxy?.Dispose();
}

using System.Net;
using System.Net.Sockets;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// The SQL Server store against a loopback port where nothing listens: the real client fails to connect, and the
/// store says "unavailable" (not a crash), in this process and in <c>okr serve</c>, without the password.
/// </summary>
public sealed class SqlServerUnreachableTests
{
    private const string Password = "never-shown-4f1c";

    [Test]
    public async Task Migrate_NothingListening_IsUnavailableAndCanWriteIsFalse()
    {
        using var store = AlignmentStores.Open(ClosedLocation(), TimeSpan.FromSeconds(2));

        var migrate = () => store.MigrateAsync();

        (await migrate.Should().ThrowAsync<StoreUnavailableException>())
            .Which.Message.Should().StartWith("sqlserver:Server=127.0.0.1,").And.Contain("is unavailable").And.NotContain(Password);
        (await store.CanWriteAsync()).Should().BeFalse();
    }

    [Test]
    public void Serve_NothingListening_RefusesToStartSayingTheStoreIsUnavailable()
    {
        var (exitCode, error) = OkrServer.Refused(ClosedLocation());

        exitCode.Should().Be(2);
        error.Should().Contain("is unavailable").And.NotContain(Password);
    }

    /// <summary>A SQL Server location on a loopback port that was free a moment ago.</summary>
    private static string ClosedLocation()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"sqlserver:Server=127.0.0.1,{port};Database=okr;User ID=okr;Password={Password};TrustServerCertificate=True";
    }
}

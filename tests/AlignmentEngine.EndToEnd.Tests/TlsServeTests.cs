using System.Security.Cryptography.X509Certificates;
using AlignmentEngine.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;
using static AlignmentEngine.Storage.Tests.Support.Requests;

namespace AlignmentEngine.EndToEnd.Tests;

/// <summary>
/// <c>okr serve --tls-cert</c> as a real process: gRPC over HTTP/2 and REST/JSON over HTTP/1.1 or HTTP/2 on one TLS port
/// with the configured certificate, bad files refused, and the cleartext policy (which --http-address follows too).
/// </summary>
public sealed class TlsServeTests
{
    private string _folder = null!;

    [SetUp]
    public void MakeFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "okr-tls-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task PemCertificateAndKey_ServesOverTlsWithThatCertificate()
    {
        using var certificate = TestCertificates.SelfSignedLoopback();
        using var server = StartTls(certificate);

        server.Address.Scheme.Should().Be("https");
        server.StartLine.Should().Contain("TLS (HTTP/2 and HTTP/1.1 by ALPN)");
        await server.Client.ApplyChangesAsync(Changes("tls", Upsert(Goals.Objective("C1"))));
        (await server.Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/tls/goals/C1" })).Goal.GoalId.Should().Be("C1");
    }

    [Test]
    public async Task OneTlsPort_GrpcOnHttp2_RestOnHttp11AndHttp2_ChosenByAlpn()
    {
        using var certificate = TestCertificates.SelfSignedLoopback();
        using var server = StartTls(certificate);
        await server.Client.ApplyChangesAsync(Changes("tls", Upsert(Goals.Objective("C1"))));
        using var rest = new HttpClient(Trusting(certificate));

        foreach (var version in new[] { System.Net.HttpVersion.Version11, System.Net.HttpVersion.Version20 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Address, "v1/tenants/tls/goals/C1"))
            {
                Version = version,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            using var response = await rest.SendAsync(request);

            response.Version.Should().Be(version);
            Google.Protobuf.JsonParser.Default.Parse<GetGoalResponse>(await response.Content.ReadAsStringAsync()).Goal.GoalId.Should().Be("C1");
        }
    }

    [Test]
    public void HttpAddress_OnANonLoopbackAddress_IsRefusedAtStart()
    {
        var store = new SqliteProvider().NewLocation();
        OkrKeys.Run("create", "--tenant", "acme", "--scopes", "admin", "--store", store).ExitCode.Should().Be(0);

        var (exitCode, error) = OkrServer.Refused(store, "127.0.0.1:0", "--http-address", "0.0.0.0:0");

        exitCode.Should().Be(2);
        error.Should().Contain("0.0.0.0:0 is not a loopback address").And.Contain("--allow-cleartext");
    }

    [Test]
    public void CleartextClient_CannotTalkToTheTlsEndpoint()
    {
        using var certificate = TestCertificates.SelfSignedLoopback();
        var (cert, key) = WritePem(certificate);
        using var server = OkrServer.Start(new SqliteProvider().NewLocation(), "--tls-cert", cert, "--tls-key", key);
        using var cleartext = GrpcChannel.ForAddress(new UriBuilder(server.Address) { Scheme = "http" }.Uri);

        var call = () => new AlignmentClient(cleartext).GetGoalAsync(new GetGoalRequest { Name = "tenants/tls/goals/C1" }).ResponseAsync;

        Assert.ThrowsAsync<RpcException>(() => call())!.StatusCode.Should().Be(StatusCode.Unavailable);
    }

    [Test]
    public void Cleartext_OnANonLoopbackAddress_IsRefusedAtStart()
    {
        var store = new SqliteProvider().NewLocation();
        OkrKeys.Run("create", "--tenant", "acme", "--scopes", "admin", "--store", store).ExitCode.Should().Be(0);

        var (exitCode, error) = OkrServer.Refused(store, "0.0.0.0:0");

        exitCode.Should().Be(2);
        error.Should().Contain("0.0.0.0:0 is not a loopback address").And.Contain("--tls-cert").And.Contain("--allow-cleartext");
    }

    [Test]
    public async Task Cleartext_OnANonLoopbackAddress_WithAllowCleartext_ServesAndSaysSo()
    {
        var store = new SqliteProvider().NewLocation();
        var key = OkrKeys.Run("create", "--tenant", "acme", "--scopes", "admin", "--store", store).Output.Trim();
        using var server = OkrServer.StartAt("0.0.0.0:0", store, null, "--allow-cleartext");

        server.StartLine.Should().Contain("cleartext HTTP/2 on a non-loopback address (--allow-cleartext");
        var options = new CallOptions(new Metadata { { "authorization", $"Bearer {key}" } });
        await server.Client.ApplyChangesAsync(Changes("acme", Upsert(Goals.Objective("C1"))), options);
    }

    [Test]
    public void Cleartext_OnLoopback_IsTheDefault_AndSaysSo()
    {
        using var server = OkrServer.Start(new SqliteProvider().NewLocation());

        server.Address.Scheme.Should().Be("http");
        server.StartLine.Should().Contain("cleartext HTTP/2 on loopback");
    }

    [Test]
    public void NotACertificate_IsAUsageError()
    {
        var bogus = Path.Combine(_folder, "bogus.pem");
        File.WriteAllText(bogus, "not a certificate");

        var (exitCode, error) = OkrServer.Refused(new SqliteProvider().NewLocation(), "127.0.0.1:0", "--tls-cert", bogus, "--tls-key", bogus);

        exitCode.Should().Be(2);
        error.Should().Contain("--tls-cert");
    }

    /// <summary>okr serve over TLS with <paramref name="certificate"/> (as PEM files), its client trusting it.</summary>
    private OkrServer StartTls(X509Certificate2 certificate)
    {
        var (cert, key) = WritePem(certificate);
        return OkrServer.Start(new SqliteProvider().NewLocation(), new GrpcChannelOptions { HttpHandler = Trusting(certificate) }, "--tls-cert", cert, "--tls-key", key);
    }

    /// <summary>A handler that trusts exactly <paramref name="certificate"/> (one per client: a channel wires its own to its subchannels).</summary>
    private static SocketsHttpHandler Trusting(X509Certificate2 certificate)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString();
        return handler;
    }

    private (string Cert, string Key) WritePem(X509Certificate2 certificate)
    {
        var cert = Path.Combine(_folder, "server.crt");
        var key = Path.Combine(_folder, "server.key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }
}

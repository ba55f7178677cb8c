using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AlignmentEngine.Api.V1;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Storage;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// REST/JSON over HTTP/1.1 on the cleartext <c>--http-address</c> endpoint (and HTTP/2 on the gRPC port), with API keys: the same answers, the same
/// keys and scopes, and the same error details as gRPC; streams as newline-delimited JSON; CORS for a listed origin only.
/// </summary>
public sealed class RestJsonTests : ServerFixture
{
    private const string Dashboard = "https://dashboard.example.com";

    private static readonly JsonParser StatusParser = new(JsonParser.Settings.Default.WithTypeRegistry(TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor)));

    private readonly HttpClient _http = new();
    private string _admin = null!;
    private string _read = null!;

    protected override void Configure(AlignmentServiceOptions options)
    {
        options.ApiKeyCacheTime = TimeSpan.Zero;
        options.CorsOrigins.Add(Dashboard);
    }

    protected override void ConfigureHost(GrpcServerHostOptions host) => host.HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0);

    [OneTimeSetUp]
    public async Task CreateKeysAndTenant()
    {
        using (var store = AlignmentStores.Open(StoreLocation))
        {
            _admin = (await ApiKeys.CreateAsync(store, "a", [ApiScopes.Admin], DateTimeOffset.UtcNow)).Text;
            _read = (await ApiKeys.CreateAsync(store, "a", [ApiScopes.Read], DateTimeOffset.UtcNow)).Text;
        }

        await Client.ApplyChangesAsync(Changes("a",
            Upsert(Objective("C1", GoalLevel.Company)), Upsert(KeyResult("KR1", "C1", 0, 10, 5)), Upsert(KeyResult("KR2", "C1", 0, 10, 0))), As(_admin));
    }

    [OneTimeTearDown]
    public void DisposeClient() => _http.Dispose();

    private static CallOptions As(string key) => new(new Metadata { { "authorization", $"Bearer {key}" } });

    private HttpRequestMessage Request(HttpMethod method, string path, string? key, string? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(HttpAddress, path)) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return request;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? key, string? json = null)
    {
        using var response = await _http.SendAsync(Request(method, path, key, json));
        response.Version.Should().Be(HttpVersion.Version11);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task GetRollup_Http11WithReadKey_SameMessageAsGrpc()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "v1/tenants/a/goals/C1:rollup", _read);

        status.Should().Be(HttpStatusCode.OK, body);
        JsonParser.Default.Parse<GetRollupResponse>(body).Should().Be(
            await Client.GetRollupAsync(new GetRollupRequest { Name = "tenants/a/goals/C1" }, As(_read)));
    }

    [Test]
    public async Task GetRollup_Http2OnTheGrpcPort_SameMessageAsGrpc()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Address, "v1/tenants/a/goals/C1:rollup"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _read);

        using var response = await _http.SendAsync(request);

        response.Version.Should().Be(HttpVersion.Version20);
        JsonParser.Default.Parse<GetRollupResponse>(await response.Content.ReadAsStringAsync()).Should().Be(
            await Client.GetRollupAsync(new GetRollupRequest { Name = "tenants/a/goals/C1" }, As(_read)));
    }

    [Test]
    public async Task NoKey_401WithUnauthenticatedStatus()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "v1/tenants/a/goals/C1", key: null);

        status.Should().Be(HttpStatusCode.Unauthorized, body);
        StatusParser.Parse<Google.Rpc.Status>(body).Code.Should().Be((int)StatusCode.Unauthenticated);
    }

    [Test]
    public async Task ReadKeyWrites_403WithPermissionDeniedStatus_NothingWritten()
    {
        var before = (await Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/a/goals/C1" }, As(_read))).Version;

        var (status, body) = await SendAsync(HttpMethod.Post, "v1/tenants/a:applyChanges", _read, """{"changes":[{"checkIn":{"goalId":"KR2","value":3}}]}""");

        status.Should().Be(HttpStatusCode.Forbidden, body);
        StatusParser.Parse<Google.Rpc.Status>(body).Code.Should().Be((int)StatusCode.PermissionDenied);
        (await Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/a/goals/C1" }, As(_read))).Version.Should().Be(before);
    }

    [Test]
    public async Task RefusedChange_StatusJsonCarriesTheGrpcDetails()
    {
        var request = new SimulateChangesRequest { Parent = "tenants/a" };
        request.Changes.Add(new GoalChange { SetWeight = new SetWeight { GoalId = "KR1", ParentGoalId = "C1", Weight = -1 } });
        var grpc = Assert.ThrowsAsync<RpcException>(() => Client.SimulateChangesAsync(request, As(_read)).ResponseAsync)!.GetRpcStatus()!;

        var (status, body) = await SendAsync(HttpMethod.Post, "v1/tenants/a:simulateChanges", _read, JsonFormatter.Default.Format(request));

        status.Should().Be(HttpStatusCode.BadRequest, body);
        grpc.Details.Should().NotBeEmpty();
        StatusParser.Parse<Google.Rpc.Status>(body).Should().Be(grpc);
    }

    [Test]
    public async Task WatchRollups_NewlineDelimitedJson_SameMessagesAsGrpc()
    {
        var since = (await Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/a/goals/C1" }, As(_read))).Version;
        await Client.ApplyChangesAsync(Changes("a", CheckIn("KR2", 4)), As(_admin));
        await Client.ApplyChangesAsync(Changes("a", CheckIn("KR2", 6)), As(_admin));
        using var watch = Client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/a", SinceVersion = since }, As(_read));
        var expected = new List<WatchRollupsResponse>();
        for (var i = 0; i < 2 && await watch.ResponseStream.MoveNext(CancellationToken.None); i++) expected.Add(watch.ResponseStream.Current);

        using var response = await _http.SendAsync(Request(HttpMethod.Get, $"v1/tenants/a:watchRollups?sinceVersion={since}", _read), HttpCompletionOption.ResponseHeadersRead);
        using var lines = new StreamReader(await response.Content.ReadAsStreamAsync());
        var received = new List<WatchRollupsResponse>();
        for (var i = 0; i < 2; i++) received.Add(JsonParser.Default.Parse<WatchRollupsResponse>(await lines.ReadLineAsync() ?? string.Empty));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        received.Should().Equal(expected);
        received.Select(r => r.Version).Should().Equal(since + 1, since + 2);
    }

    [TestCase(Dashboard, true)]
    [TestCase("https://elsewhere.example.com", false)]
    public async Task GrpcWebPreflight_AllowedForListedOriginOnly(string origin, bool allowed)
    {
        using var request = Request(HttpMethod.Options, "okr.alignment.v1.AlignmentService/GetRollup", key: null);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,x-grpc-web");

        using var response = await _http.SendAsync(request);

        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values).Should().Be(allowed);
        if (allowed) values.Should().Equal(origin);
    }
}

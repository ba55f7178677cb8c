using System.Net;
using System.Text;
using AlignmentEngine.Api.V1;
using Google.Protobuf;
using AlignmentEngine.Tests.Shared;
using Grpc.Core;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// request_id (AIP-155) on the three writes: a retry answers the original response and applies nothing, the same id
/// with another request is refused and changes nothing, retries at once apply once, and a malformed id is refused.
/// The tenant's version counts what was applied. Through another process and after a kill: the Storage and EndToEnd tests.
/// </summary>
public sealed class IdempotentWriteTests : ServerFixture
{
    private readonly HttpClient _http = new();

    protected override void ConfigureHost(GrpcServerHostOptions host) => host.HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0);

    [OneTimeTearDown]
    public void DisposeClient() => _http.Dispose();

    private static readonly string SmallCompany = Path.Combine(RepoPaths.Root, "examples", "small-company.yaml");

    private static string NewId() => Guid.NewGuid().ToString();

    private async Task<long> VersionOf(string tenant) => (await Client.GetGoalAsync(new GetGoalRequest { Name = $"tenants/{tenant}/goals/C1" })).Version;

    private async Task<double> CurrentOf(string tenant, string goal) =>
        (await Client.GetGoalAsync(new GetGoalRequest { Name = $"tenants/{tenant}/goals/{goal}" })).Goal.Metric.Current;

    private static RecordCheckInsRequest CheckIns(string tenant, string requestId, string goal, double value)
    {
        var request = new RecordCheckInsRequest { Parent = $"tenants/{tenant}", RequestId = requestId };
        request.CheckIns.Add(new Api.V1.CheckIn { GoalId = goal, Value = value });
        return request;
    }

    private static void ShouldBeRefusedOnRequestId(RpcException error, string because)
    {
        error.StatusCode.Should().Be(StatusCode.InvalidArgument, because);
        error.GetRpcStatus()!.Details.Single().Unpack<Google.Rpc.BadRequest>().FieldViolations.Single().Field.Should().Be("request_id");
    }

    [Test]
    public async Task ApplyChanges_RetriedWithItsRequestId_AnswersTheOriginalResponseAndAppliesNothing()
    {
        var seeded = await SeedCompanyAsync("retry");
        var request = Changes("retry", Upsert(KeyResult("KR3", "C1", 0, 10, 10)));
        request.RequestId = NewId();

        var first = await Client.ApplyChangesAsync(request);
        await Client.ApplyChangesAsync(Changes("retry", CheckIn("KR1", 9)));
        var retried = await Client.ApplyChangesAsync(request);

        first.Version.Should().Be(seeded + 1);
        retried.Should().Be(first, "the retry answers the response the write was answered, though another change followed");
        (await VersionOf("retry")).Should().Be(seeded + 2, "the retry applied nothing");
    }

    [Test]
    public async Task ApplyChanges_RetryWithAStaleExpectedVersion_StillAnswersTheOriginal()
    {
        var seeded = await SeedCompanyAsync("stale");
        var request = Changes("stale", CheckIn("KR2", 4));
        request.ExpectedVersion = seeded;
        request.RequestId = NewId();

        var first = await Client.ApplyChangesAsync(request);
        var retried = await Client.ApplyChangesAsync(request);

        retried.Should().Be(first, "the write was committed: its retry is not judged against the version again");
        (await VersionOf("stale")).Should().Be(seeded + 1);
    }

    [Test]
    public async Task RecordCheckIns_SameRequestIdWithAnotherValue_InvalidArgumentOnRequestIdAndNothingChanged()
    {
        var seeded = await SeedCompanyAsync("mismatch");
        var id = NewId();
        await Client.RecordCheckInsAsync(CheckIns("mismatch", id, "KR2", 3));

        var error = Assert.ThrowsAsync<RpcException>(() => Client.RecordCheckInsAsync(CheckIns("mismatch", id, "KR2", 7)).ResponseAsync)!;

        ShouldBeRefusedOnRequestId(error, "the id names another request");
        error.Status.Detail.Should().Contain(id).And.Contain($"version {seeded + 1}");
        (await CurrentOf("mismatch", "KR2")).Should().Be(3);
        (await VersionOf("mismatch")).Should().Be(seeded + 1);
    }

    [Test]
    public async Task RequestIdOfACheckIn_SentWithApplyChanges_InvalidArgumentOnRequestId()
    {
        var seeded = await SeedCompanyAsync("other-rpc");
        var id = NewId();
        await Client.RecordCheckInsAsync(CheckIns("other-rpc", id, "KR2", 3));
        var same = Changes("other-rpc", CheckIn("KR2", 3));
        same.RequestId = id;

        var error = Assert.ThrowsAsync<RpcException>(() => Client.ApplyChangesAsync(same).ResponseAsync)!;

        ShouldBeRefusedOnRequestId(error, "another RPC is another request, whatever it would change");
        (await VersionOf("other-rpc")).Should().Be(seeded + 1);
    }

    [Test]
    public async Task RecordCheckIns_TheSameUuidInCapitals_IsTheSameRequestId()
    {
        var seeded = await SeedCompanyAsync("case");
        var id = NewId();

        var first = await Client.RecordCheckInsAsync(CheckIns("case", id, "KR2", 6));
        var retried = await Client.RecordCheckInsAsync(CheckIns("case", id.ToUpperInvariant(), "KR2", 6));

        retried.Should().Be(first);
        (await VersionOf("case")).Should().Be(seeded + 1);
    }

    [TestCase("3f2504e0-4f89-11d3-9a0c-0305e82c3301", TestName = "RecordCheckIns_AUuidOfVersion1_IsAccepted")]
    [TestCase("0192f5a4-7c3e-7b21-9d4a-5e6f7a8b9c0d", TestName = "RecordCheckIns_AUuidOfVersion7_IsAccepted")]
    public async Task RecordCheckIns_AnyUuidVersion_IsAccepted(string requestId)
    {
        var tenant = $"version-{requestId[14]}";
        var seeded = await SeedCompanyAsync(tenant);

        var first = await Client.RecordCheckInsAsync(CheckIns(tenant, requestId, "KR2", 2));
        var retried = await Client.RecordCheckInsAsync(CheckIns(tenant, requestId, "KR2", 2));

        retried.Should().Be(first);
        first.Version.Should().Be(seeded + 1);
    }

    [Test]
    public async Task RecordCheckIns_SameRequestIdOnAnotherTenant_IsAnotherRequest()
    {
        await SeedCompanyAsync("tenant-a");
        await SeedCompanyAsync("tenant-b");
        var id = NewId();

        var onA = await Client.RecordCheckInsAsync(CheckIns("tenant-a", id, "KR2", 6));
        var onB = await Client.RecordCheckInsAsync(CheckIns("tenant-b", id, "KR2", 8));

        onA.Version.Should().Be(2);
        onB.Version.Should().Be(2, "request ids are per tenant");
        (await CurrentOf("tenant-b", "KR2")).Should().Be(8);
    }

    [Test]
    public async Task RecordCheckIns_RefusedWrite_KeepsNoIdAndMaySucceedWithItLater()
    {
        var seeded = await SeedCompanyAsync("refused");
        var id = NewId();
        var request = CheckIns("refused", id, "KR3", 5);

        var error = Assert.ThrowsAsync<RpcException>(() => Client.RecordCheckInsAsync(request).ResponseAsync)!;
        error.StatusCode.Should().Be(StatusCode.NotFound);
        await Client.ApplyChangesAsync(Changes("refused", Upsert(KeyResult("KR3", "C1", 0, 10))));
        var accepted = await Client.RecordCheckInsAsync(request);

        accepted.Version.Should().Be(seeded + 2, "only a committed write keeps its id");
        (await CurrentOf("refused", "KR3")).Should().Be(5);
    }

    [TestCase("not-a-uuid")]
    [TestCase("00000000-0000-0000-0000-000000000000")]
    [TestCase("{3f2504e0-4f89-11d3-9a0c-0305e82c3301}")]
    [TestCase("3f2504e04f8911d39a0c0305e82c3301")]
    [TestCase(" 3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    public async Task Writes_MalformedRequestId_InvalidArgumentOnRequestIdAndNothingWritten(string requestId)
    {
        var seeded = await SeedCompanyAsync("malformed");
        var changes = Changes("malformed", CheckIn("KR2", 1));
        changes.RequestId = requestId;

        ShouldBeRefusedOnRequestId(Assert.ThrowsAsync<RpcException>(() => Client.ApplyChangesAsync(changes).ResponseAsync)!, "ApplyChanges");
        ShouldBeRefusedOnRequestId(Assert.ThrowsAsync<RpcException>(() => Client.RecordCheckInsAsync(CheckIns("malformed", requestId, "KR2", 1)).ResponseAsync)!, "RecordCheckIns");
        ShouldBeRefusedOnRequestId(Assert.ThrowsAsync<RpcException>(async () =>
        {
            // The first message alone: the server answers before reading on, so a client still writing would see CANCELLED.
            using var call = Client.ImportTree();
            await call.RequestStream.WriteAsync(new ImportTreeRequest { Parent = "tenants/malformed", RequestId = requestId });
            await call.ResponseAsync;
        })!, "ImportTree");
        (await VersionOf("malformed")).Should().Be(seeded);
    }

    [Test]
    public async Task ApplyChanges_SameRequestSentManyTimesAtOnce_AppliedOnceAndEveryCallAnsweredTheSame()
    {
        var seeded = await SeedCompanyAsync("at-once");
        var request = Changes("at-once", Upsert(KeyResult("KR3", "C1", 0, 10, 2)));
        request.RequestId = NewId();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Client.ApplyChangesAsync(request).ResponseAsync));

        answers.Should().AllBeEquivalentTo(answers[0]);
        answers[0].Version.Should().Be(seeded + 1);
        (await VersionOf("at-once")).Should().Be(seeded + 1, "eight calls, one write");
    }

    [Test]
    public async Task ImportTree_RetriedInOtherChunks_AnswersTheOriginalAndAppliesNothing()
    {
        var tree = ReadTree(SmallCompany);
        var id = NewId();

        var first = await ImportAsync("import", tree, chunk: 2, requestId: id);
        var retried = await ImportAsync("import", tree, chunk: 5, requestId: id);

        first.Version.Should().Be(1);
        retried.Should().Be(first);
        using var export = Client.ExportTree(new ExportTreeRequest { Parent = "tenants/import" });
        (await export.ResponseStream.MoveNext(CancellationToken.None)).Should().BeTrue();
        export.ResponseStream.Current.Version.Should().Be(1, "the retry applied nothing");
    }

    [Test]
    public async Task ImportTree_SameRequestIdWithOtherGoals_InvalidArgumentOnRequestId()
    {
        var tree = ReadTree(SmallCompany);
        var id = NewId();
        await ImportAsync("import-other", tree, requestId: id);
        var fewer = tree.Clone();
        fewer.Goals.RemoveAt(fewer.Goals.Count - 1);

        ShouldBeRefusedOnRequestId(Assert.ThrowsAsync<RpcException>(() => ImportAsync("import-other", fewer, requestId: id))!, "another tree is another import");
    }

    [Test]
    public void ImportTree_RequestIdInALaterMessage_InvalidArgumentOnThatMessage()
    {
        var error = Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = Client.ImportTree();
            await call.RequestStream.WriteAsync(new ImportTreeRequest { Parent = "tenants/import-late" });
            var second = new ImportTreeRequest { RequestId = NewId() };
            second.Goals.Add(Objective("C1", GoalLevel.Company));
            await call.RequestStream.WriteAsync(second);
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        })!;

        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        error.GetRpcStatus()!.Details.Single().Unpack<Google.Rpc.BadRequest>().FieldViolations.Single().Field.Should().Be("message[1]");
    }

    [Test]
    public async Task RecordCheckIns_RetriedOverRestJson_AnswersTheSameBodyAndAppliesNothing()
    {
        var seeded = await SeedCompanyAsync("rest");
        var body = $$"""{"checkIns":[{"goalId":"KR2","value":4}],"requestId":"{{NewId()}}"}""";

        var first = await PostAsync("v1/tenants/rest:recordCheckIns", body);
        var retried = await PostAsync("v1/tenants/rest:recordCheckIns", body);

        first.Status.Should().Be(HttpStatusCode.OK);
        retried.Should().Be(first);
        JsonParser.Default.Parse<RecordCheckInsResponse>(first.Body).Version.Should().Be(seeded + 1);
        (await VersionOf("rest")).Should().Be(seeded + 1);
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(HttpAddress, path))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

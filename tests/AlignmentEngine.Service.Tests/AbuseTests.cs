using System.Net;
using AlignmentEngine.Api.V1;
using Grpc.Core;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Storage;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// Bad input and abuse through the real server: malformed credentials and names, bytes that are not a message,
/// floods of calls and of watches. Each gets its status, nothing leaks, and the server goes on serving others.
/// </summary>
public sealed class AbuseTests : ServerFixture
{
    private const int Burst = 20;

    private string _key = null!;

    protected override void Configure(AlignmentServiceOptions options)
    {
        options.ApiKeyCacheTime = TimeSpan.Zero;
        options.MaxWatchersPerTenant = 2;
        options.RateLimitPerKey = 1;
        options.RateLimitBurst = Burst;
    }

    [OneTimeSetUp]
    public async Task Seed()
    {
        _key = await NewKeyAsync("abuse");
        await Client.ApplyChangesAsync(Changes("abuse", Upsert(Objective("C1", GoalLevel.Company))), As(_key));
    }

    private async Task<string> NewKeyAsync(string tenant)
    {
        using var store = AlignmentStores.Open(StoreLocation);
        return (await ApiKeys.CreateAsync(store, tenant, [ApiScopes.Admin], DateTimeOffset.UtcNow)).Text;
    }

    private static CallOptions As(string key) => new(new Metadata { { "authorization", $"Bearer {key}" } });

    private static CallOptions Authorization(string value) => new(new Metadata { { "authorization", value } });

    [TestCase("Basic dXNlcjpwYXNz")]
    [TestCase("Bearer")]
    [TestCase("Bearer ")]
    [TestCase("Bearer okr__")]
    [TestCase("Bearer okr_")]
    [TestCase("bearer okr_0123456789ab_")]
    public void MalformedAuthorization_Unauthenticated(string value)
    {
        var error = Assert.ThrowsAsync<RpcException>(() => Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/abuse/goals/C1" }, Authorization(value)).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.Unauthenticated);
    }

    [Test]
    public void HugeKey_Unauthenticated()
    {
        var key = "okr_0123456789ab_" + new string('A', 6000);

        Assert.ThrowsAsync<RpcException>(() => Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/abuse/goals/C1" }, As(key)).ResponseAsync)!
            .StatusCode.Should().Be(StatusCode.Unauthenticated);
    }

    [TestCase("tenants/../abuse")]
    [TestCase("tenants/ABUSE")]
    [TestCase("tenants/abuse/")]
    [TestCase("tenants/")]
    [TestCase("abuse")]
    [TestCase("tenants/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [TestCase("tenants/ab\u00fcse")]
    public async Task BadTenantNames_InvalidArgument(string parent)
    {
        var key = await NewKeyAsync("abuse");

        var error = Assert.ThrowsAsync<RpcException>(() => Client.ListGoalsAsync(new ListGoalsRequest { Parent = parent }, As(key)).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
    }

    [Test]
    public async Task BytesThatAreNotAMessage_Internal_AndTheServerGoesOn()
    {
        using var handler = new SocketsHttpHandler();
        using var http = new HttpClient(handler);
        byte[] garbage = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        using var content = new ByteArrayContent([0, 0, 0, 0, (byte)garbage.Length, .. garbage]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, "/okr.alignment.v1.AlignmentService/GetGoal"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("authorization", $"Bearer {_key}");

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var values) ? values.Single()
            : response.Headers.GetValues("grpc-status").Single();
        status.Should().Be(((int)StatusCode.Internal).ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/abuse/goals/C1" }, As(await NewKeyAsync("abuse")))).Goal.GoalId.Should().Be("C1");
    }

    [Test]
    public async Task FloodOfCalls_OnlyTheBurstIsServed_OtherKeysUnaffected()
    {
        var flooder = await NewKeyAsync("abuse");
        var request = new GetGoalRequest { Name = "tenants/abuse/goals/C1" };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            try
            {
                await Client.GetGoalAsync(request, As(flooder));
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }));

        outcomes.Count(s => s == StatusCode.OK).Should().BeInRange(Burst, Burst + 2, "one token a second refills during the flood at most");
        outcomes.Where(s => s != StatusCode.OK).Should().OnlyContain(s => s == StatusCode.ResourceExhausted);
        (await Client.GetGoalAsync(request, As(await NewKeyAsync("abuse")))).Goal.GoalId.Should().Be("C1");
    }

    [Test]
    public async Task WatchesOpenedAndAbandoned_LeaveNoSlotsBehind()
    {
        var request = new WatchRollupsRequest { Parent = "tenants/abuse" };
        for (var k = 0; k < 10; k++)
        {
            var first = Client.WatchRollups(request, As(await NewKeyAsync("abuse")));
            var second = Client.WatchRollups(request, As(await NewKeyAsync("abuse")));
            await first.ResponseHeadersAsync;
            await second.ResponseHeadersAsync;
            first.Dispose();
            second.Dispose();
        }

        // Slots are freed when the server sees each reset: allow it a moment, then both must be free again.
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var a = Client.WatchRollups(request, As(await NewKeyAsync("abuse")));
            using var b = Client.WatchRollups(request, As(await NewKeyAsync("abuse")));
            try
            {
                await a.ResponseHeadersAsync;
                await b.ResponseHeadersAsync;
                using var shortly = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                var waits = new[] { a.ResponseStream.MoveNext(shortly.Token), b.ResponseStream.MoveNext(shortly.Token) };
                var ended = await Task.WhenAll(waits.Select(async w =>
                {
                    try
                    {
                        await w;
                        return true;
                    }
                    catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
                    {
                        return false; // still open, waiting for changes: admitted
                    }
                }));
                ended.Should().AllBeEquivalentTo(false);
                break;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }
        }
    }
}

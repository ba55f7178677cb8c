using System.Net;
using AlignmentEngine.Api.V1;
using AlignmentEngine.Tests.Shared;
using Grpc.Net.Client;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// A unary request whose body stops part way (3 of 100 declared bytes) ends on its own, and only it: the HTTP/2
/// connection it came on, and an open WatchRollups on that connection, go on.
/// </summary>
public sealed class StalledRequestTests : ServerFixture
{
    private static readonly TimeSpan BodyTimeout = TimeSpan.FromSeconds(1);

    protected override void Configure(AlignmentServiceOptions options) => options.RequestBodyTimeout = BodyTimeout;

    [Test]
    public async Task UnaryBodyStallsAfter3Of100Bytes_CallEnds_ConnectionAndItsWatchGoOn()
    {
        await SeedCompanyAsync("stalled");

        // One connection for everything: the watch, the stalled request and the calls after it.
        using var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false };
        using var channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });
        var client = new AlignmentClient(channel);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/stalled" }, cancellationToken: cancel.Token);
        await watch.ResponseHeadersAsync;

        using var http = new HttpClient(handler, disposeHandler: false);
        using var stalled = new StalledContent();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, "/okr.alignment.v1.AlignmentService/GetGoal"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = stalled,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        var ended = await EndOf(http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token));
        ended.Should().Be("grpc-status 4", "the call alone ends, with DEADLINE_EXCEEDED");

        var applied = await client.ApplyChangesAsync(Changes("stalled", CheckIn("KR2", 4)), cancellationToken: cancel.Token);
        (await watch.ResponseStream.MoveNext(cancel.Token)).Should().BeTrue("the watch on the stalled call's connection goes on");
        watch.ResponseStream.Current.Version.Should().Be(applied.Version);
        (await client.GetGoalAsync(new GetGoalRequest { Name = "tenants/stalled/goals/C1" }, cancellationToken: cancel.Token)).Goal.GoalId.Should().Be("C1");
    }

    /// <summary>How the stalled call ended: its grpc-status, or the stream reset that ended it.</summary>
    private static async Task<string> EndOf(Task<HttpResponseMessage> sending)
    {
        try
        {
            using var response = await sending;
            await response.Content.ReadAsByteArrayAsync();
            var status = response.TrailingHeaders.TryGetValues("grpc-status", out var values) ? values.Single()
                : response.Headers.TryGetValues("grpc-status", out var headers) ? headers.Single() : "none";
            return $"grpc-status {status}";
        }
        catch (HttpRequestException e)
        {
            return $"reset: {e.Message}";
        }
    }
}

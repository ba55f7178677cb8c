using System.Globalization;
using AlignmentEngine.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Storage;
using AlignmentEngine.Tests.Shared;
using Grpc.Health.V1;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// Concurrent streams, through the real server: each HTTP/2 connection is bounded by the transport (advertised in
/// SETTINGS), and each API key, over all its connections, by max_concurrent_streams_per_key, answered with
/// RESOURCE_EXHAUSTED naming it. Watches and unary calls count alike; health is not limited.
/// </summary>
public sealed class ConcurrentStreamsTests : ServerFixture
{
    private const int PerConnection = 4;
    private const int PerKey = 3;

    protected override void Configure(AlignmentServiceOptions options)
    {
        options.ApiKeyCacheTime = TimeSpan.Zero;
        options.MaxConcurrentStreamsPerKey = PerKey;
    }

    protected override void ConfigureHost(GrpcServerHostOptions host) => host.MaxStreamsPerConnection = PerConnection;

    private async Task<string> NewKeyAsync()
    {
        using var store = AlignmentStores.Open(StoreLocation);
        return (await ApiKeys.CreateAsync(store, "streams", [ApiScopes.Admin], DateTimeOffset.UtcNow)).Text;
    }

    private static CallOptions As(string key) => new(new Metadata { { "authorization", $"Bearer {key}" } });

    private static readonly WatchRollupsRequest Watch = new() { Parent = "tenants/streams" };

    /// <summary>A client held to one HTTP/2 connection, as many clients are.</summary>
    private GrpcChannel OneConnection() => GrpcChannel.ForAddress(Address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false },
    });

    private static async Task<List<AsyncServerStreamingCall<WatchRollupsResponse>>> OpenWatchesAsync(Func<int, AlignmentClient> client, string key, int count)
    {
        var watches = new List<AsyncServerStreamingCall<WatchRollupsResponse>>();
        for (var k = 0; k < count; k++)
        {
            var watch = client(k).WatchRollups(Watch, As(key));
            watches.Add(watch);
            await watch.ResponseHeadersAsync;
        }

        return watches;
    }

    private static RpcException Refused(Func<Task> call)
    {
        var error = Assert.ThrowsAsync<RpcException>(() => call())!;
        error.StatusCode.Should().Be(StatusCode.ResourceExhausted);
        error.Status.Detail.Should().Contain("max_concurrent_streams_per_key").And.Contain($"is {PerKey}").And.Contain("okr serve --max-concurrent-streams-per-key");
        return error;
    }

    private static Func<Task> NextEvent(AlignmentClient client, string key) => async () =>
    {
        using var watch = client.WatchRollups(Watch, As(key));
        await watch.ResponseStream.MoveNext(CancellationToken.None);
    };

    [Test]
    public async Task OneConnection_AKeyBeyondItsLimit_ResourceExhausted_AnotherKeyStillServedOnIt()
    {
        using var channel = OneConnection();
        var client = new AlignmentClient(channel);
        var (key, other) = (await NewKeyAsync(), await NewKeyAsync());
        var watches = await OpenWatchesAsync(_ => client, key, PerKey);
        try
        {
            Refused(NextEvent(client, key));
            Refused(() => client.GetGoalAsync(new GetGoalRequest { Name = "tenants/streams/goals/G" }, As(key)).ResponseAsync);

            // The connection itself has room for one more stream: another key's call is served on it.
            var error = Assert.ThrowsAsync<RpcException>(() => client.GetGoalAsync(new GetGoalRequest { Name = "tenants/streams/goals/G" }, As(other)).ResponseAsync)!;
            error.StatusCode.Should().Be(StatusCode.NotFound, "the call was served (the tenant has no such goal), not refused");
        }
        finally
        {
            watches.ForEach(w => w.Dispose());
        }
    }

    [Test]
    public async Task SeveralConnections_TheLimitIsPerKey_AndASlotFreesWhenAStreamEnds()
    {
        var channels = Enumerable.Range(0, PerKey + 1).Select(_ => NewChannel()).ToList();
        var clients = channels.Select(c => new AlignmentClient(c)).ToList();
        var key = await NewKeyAsync();
        var watches = await OpenWatchesAsync(k => clients[k], key, PerKey);
        try
        {
            Refused(NextEvent(clients[PerKey], key));

            // Health needs no key and is not counted.
            (await new Grpc.Health.V1.Health.HealthClient(channels[PerKey]).CheckAsync(new HealthCheckRequest())).Status.Should().Be(HealthCheckResponse.Types.ServingStatus.Serving);

            watches[0].Dispose();
            var until = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                try
                {
                    // A tenant with no goals: NOT_FOUND once admitted.
                    await clients[PerKey].GetGoalAsync(new GetGoalRequest { Name = "tenants/streams/goals/G" }, As(key));
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < until)
                {
                    await Task.Delay(100); // the cancelled watch's slot is freed when the server sees the reset
                    continue;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                }

                break;
            }
        }
        finally
        {
            watches.ForEach(w => w.Dispose());
            channels.ForEach(c => c.Dispose());
        }
    }

    [Test]
    public async Task AnotherImplementation_SeesTheConnectionLimitInSettings_AndTheKeyLimitAsAStatus()
    {
        var (exitCode, output) = await NodeScript.RunAsync("streams.js",
            Port.ToString(CultureInfo.InvariantCulture), await NewKeyAsync(), await NewKeyAsync(), $"{PerConnection}", $"{PerKey}");

        exitCode.Should().Be(0, output);
        output.Should().Contain("ok");
    }
}

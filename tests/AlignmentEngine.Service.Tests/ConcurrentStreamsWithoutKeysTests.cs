using AlignmentEngine.Api.V1;
using Grpc.Core;

namespace AlignmentEngine.Service.Tests;

/// <summary>With no API keys (loopback only), max_concurrent_streams_per_key bounds each client address instead.</summary>
public sealed class ConcurrentStreamsWithoutKeysTests : ServerFixture
{
    private const int PerAddress = 2;

    protected override void Configure(AlignmentServiceOptions options) => options.MaxConcurrentStreamsPerKey = PerAddress;

    [Test]
    public async Task CallsBeyondTheLimit_ResourceExhausted_NamingTheClientAddress()
    {
        var request = new WatchRollupsRequest { Parent = "tenants/keyless" };
        using var first = Client.WatchRollups(request);
        using var second = Client.WatchRollups(request);
        await first.ResponseHeadersAsync;
        await second.ResponseHeadersAsync;

        var error = Assert.ThrowsAsync<RpcException>(() => Client.ValidateTreeAsync(new ValidateTreeRequest { Tree = new Api.V1.GoalTree() }).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.ResourceExhausted);
        error.Status.Detail.Should().Contain("client 127.0.0.1").And.Contain("max_concurrent_streams_per_key").And.Contain($"is {PerAddress}");
    }
}

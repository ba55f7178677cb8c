using Grpc.Net.Client;
using AlignmentEngine.Service;
using Grpc.Health.V1;

namespace AlignmentEngine.Storage.Tests.Support;

/// <summary>A real AlignmentService in this process, on a loopback port, on the store at a location, and a client.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly GrpcServerHost _host;
    private readonly GrpcChannel _channel;

    private TestServer(GrpcServerHost host)
    {
        _host = host;
        _channel = GrpcChannel.ForAddress(host.Addresses[0]);
        Client = new AlignmentClient(_channel);
    }

    public AlignmentClient Client { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<TestServer> StartAsync(string location, TimeProvider? clock = null, Action<AlignmentServiceOptions>? configure = null)
    {
        var host = AlignmentServer.Create(new GrpcServerHostOptions(), options =>
        {
            options.Store = location;
            options.Clock = clock ?? TimeProvider.System;
            options.PollInterval = TimeSpan.FromMilliseconds(100);
            configure?.Invoke(options);
        });
        await host.StartAsync();
        return new TestServer(host);
    }

    public async Task<HealthCheckResponse.Types.ServingStatus> HealthAsync(string service) =>
        (await new Health.HealthClient(_channel).CheckAsync(new HealthCheckRequest { Service = service })).Status;

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _host.StopAsync();
        await _host.DisposeAsync();
    }
}

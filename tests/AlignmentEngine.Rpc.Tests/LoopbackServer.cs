using System.Security.Cryptography.X509Certificates;
using AlignmentEngine.Rpc.InteropServer;
using AlignmentEngine.Rpc.Testing.V1;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentEngine.Rpc.Tests;

/// <summary>A real Kestrel server on 127.0.0.1, port 0, with the interop service, health and reflection, plus a client channel to it.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly GrpcServerHost _host;

    private LoopbackServer(GrpcServerHost host, GrpcChannel channel)
    {
        _host = host;
        Channel = channel;
    }

    public GrpcChannel Channel { get; }

    public int Port => _host.Port;

    public IServiceProvider Services => _host.Services;

    public InteropService Interop => _host.Services.GetRequiredService<InteropService>();

    public static async Task<LoopbackServer> StartAsync(
        Action<IServiceCollection>? configure = null,
        X509Certificate2? certificate = null,
        GrpcChannelOptions? channelOptions = null,
        bool includeInterop = true)
    {
        var host = GrpcServerHost.Create(new GrpcServerHostOptions { Certificate = certificate }, services =>
        {
            if (includeInterop)
            {
                services.AddGrpcService<InteropService>(InteropReflection.Descriptor.Services[0], InteropService.Bind);
            }

            services.AddGrpcHealthChecks().AddGrpcReflection();
            configure?.Invoke(services);
        });
        await host.StartAsync();
        var scheme = certificate is null ? "http" : "https";
        var channel = GrpcChannel.ForAddress($"{scheme}://127.0.0.1:{host.Port}", channelOptions);
        return new LoopbackServer(host, channel);
    }

    /// <summary>Stops the server but keeps the client channel (to watch what clients see of a shutdown).</summary>
    public Task StopServerAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _host.StopAsync();
        await _host.DisposeAsync();
    }
}

/// <summary>The interop methods as the C# client calls them.</summary>
internal static class Methods
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = InteropReflection.Descriptor.Services[0];

    public static GrpcMethod<EmptyCallRequest, EmptyCallResponse> EmptyCall { get; } = new(Service.FindMethodByName("EmptyCall"));

    public static GrpcMethod<UnaryCallRequest, UnaryCallResponse> UnaryCall { get; } = new(Service.FindMethodByName("UnaryCall"));

    public static GrpcMethod<StreamingOutputCallRequest, StreamingOutputCallResponse> StreamingOutputCall { get; } = new(Service.FindMethodByName("StreamingOutputCall"));

    public static GrpcMethod<StreamingInputCallRequest, StreamingInputCallResponse> StreamingInputCall { get; } = new(Service.FindMethodByName("StreamingInputCall"));

    public static GrpcMethod<FullDuplexCallRequest, FullDuplexCallResponse> FullDuplexCall { get; } = new(Service.FindMethodByName("FullDuplexCall"));

    public static GrpcMethod<UnimplementedCallRequest, UnimplementedCallResponse> UnimplementedCall { get; } = new(Service.FindMethodByName("UnimplementedCall"));

    public static Payload Zeros(int size) => new() { Body = Google.Protobuf.ByteString.CopyFrom(new byte[size]) };
}

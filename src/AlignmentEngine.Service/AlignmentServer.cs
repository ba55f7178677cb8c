using System.Net;
using AlignmentEngine.Rpc;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Service.Telemetry;
using AlignmentEngine.Service.Tenants;
using AlignmentEngine.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service;

/// <summary>
/// The service process: the AlignmentService, gRPC health and server reflection on one HTTP/2 endpoint, its
/// tenants kept in the store named by <see cref="AlignmentServiceOptions.Store"/> (migrated and loaded at start,
/// followed for other processes' changes while it runs).
/// </summary>
public static class AlignmentServer
{
    public static readonly IPEndPoint DefaultEndpoint = new(IPAddress.Loopback, 50051);

    public static GrpcServerHost Create(GrpcServerHostOptions host, Action<AlignmentServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        return GrpcServerHost.Create(host, services =>
        {
            services.AddOptions<AlignmentServiceOptions>();
            if (configure is not null) services.Configure(configure);
            services.AddSingleton(p => p.GetRequiredService<IOptions<AlignmentServiceOptions>>().Value.Clock);
            services.AddOptions<GrpcServerOptions>().Configure<IOptions<AlignmentServiceOptions>>((transport, service) => transport.MaxReceiveMessageSize = service.Value.MaxReceiveMessageSize);
            services.AddSingleton(p =>
            {
                var options = p.GetRequiredService<IOptions<AlignmentServiceOptions>>().Value;
                return AlignmentStores.Open(options.Store, options.StoreTimeout);
            });
            services.AddSingleton<StoreHealth>();
            services.AddSingleton<ApiKeyCache>();
            services.AddSingleton<Authorizer>();
            services.AddSingleton<TenantDirectory>();
            services.AddSingleton<TenantHistory>();
            services.AddHostedService<StoreFollower>();
            services.AddHostedService<TelemetryExport>();
            services.AddGrpcService<AlignmentService>(AlignmentService.Descriptor, AlignmentService.Bind);
            services.AddGrpcHealthChecks();
            services.AddGrpcReflection();
        });
    }
}

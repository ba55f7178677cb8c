using System.Net;
using AlignmentEngine.Rpc;
using AlignmentEngine.Service.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentEngine.Service;

/// <summary>
/// The service process: the AlignmentService, gRPC health and server reflection on one HTTP/2 endpoint.
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
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton<TenantDirectory>();
            services.AddGrpcService<AlignmentService>(AlignmentService.Descriptor, AlignmentService.Bind);
            services.AddGrpcHealthChecks();
            services.AddGrpcReflection();
        });
    }
}

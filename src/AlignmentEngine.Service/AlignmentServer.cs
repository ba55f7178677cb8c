using System.Net;
using AlignmentEngine.Service.Health;
using AlignmentEngine.Service.Hosting;
using AlignmentEngine.Service.Pipeline;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Service.Telemetry;
using AlignmentEngine.Service.Tenants;
using AlignmentEngine.Service.Web;
using AlignmentEngine.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service;

/// <summary>
/// The service process: the AlignmentService, gRPC health and server reflection (v1 and v1alpha), served by
/// Grpc.AspNetCore as gRPC, gRPC-Web and REST/JSON (with its OpenAPI document); an Orleans silo whose tenant grains hold
/// the graphs (<see cref="SiloConfiguration"/>); its tenants kept in the store named by <see cref="AlignmentServiceOptions.Store"/>
/// (migrated at start, each loaded when its grain activates).
/// </summary>
public static class AlignmentServer
{
    public static readonly IPEndPoint DefaultEndpoint = new(IPAddress.Loopback, 50051);

    /// <summary>
    /// The tenant grains and what they need (the store, the tenants activated here, the handlers they run): everything a
    /// silo of this service has, with or without the gRPC front.
    /// </summary>
    internal static void AddTenants(IServiceCollection services, Action<AlignmentServiceOptions>? configure)
    {
        services.AddOptions<AlignmentServiceOptions>();
        if (configure is not null) services.Configure(configure);
        services.AddSingleton(p => p.GetRequiredService<IOptions<AlignmentServiceOptions>>().Value.Clock);
        services.AddSingleton(p =>
        {
            var options = p.GetRequiredService<IOptions<AlignmentServiceOptions>>().Value;
            return AlignmentStores.Open(options.Store, options.StoreTimeout);
        });
        services.AddSingleton<ServingHealth>();
        services.AddSingleton<StoreHealth>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<Authorizer>();
        services.AddSingleton<Webhooks.WebhookSender>();
        services.AddSingleton<TenantDirectory>();
        services.AddSingleton<TenantHistory>();
        services.AddSingleton<AlignmentService>();
        services.AddSingleton<TenantGrains>();
        services.AddSingleton<TenantImports>();
        services.AddSingleton<TenantCalls>();
    }

    public static GrpcServerHost Create(GrpcServerHostOptions host, Action<AlignmentServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        return GrpcServerHost.Create(host, services =>
        {
            AddTenants(services, configure);
            var chosen = new AlignmentServiceOptions();
            configure?.Invoke(chosen);
            services.AddOrleans(silo =>
            {
                // Kubernetes hosting first: it would take the cluster's name from ORLEANS_CLUSTER_ID; --cluster-id, set
                // after it, stays the name.
                if (chosen.Kubernetes is not null) KubernetesPod.AddTo(silo);
                SiloConfiguration.Configure(silo, chosen.Cluster, traced: chosen.OtlpEndpoint is not null);
                if (host.DashboardEndpoint is { } dashboard) SiloDashboard.AddTo(silo, dashboard);
            });

            // After the silo's own start: the grains can be called then.
            services.AddHostedService<Webhooks.SubscribedTenantsActivation>();
            services.AddSingleton<CallPipeline>();
            services.AddHostedService<WriteHealthProbe>();
            if (chosen.OtlpEndpoint is { } otlp) TelemetryExport.AddTo(services, otlp);
            services.AddGrpc()
                .AddServiceOptions<AlignmentService>(o => o.Interceptors.Add<CallPipeline>())
                .AddRestJson();
            services.AddOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>().Configure<IOptions<AlignmentServiceOptions>>((grpc, service) =>
            {
                grpc.MaxReceiveMessageSize = service.Value.MaxReceiveMessageSize;
                grpc.MaxSendMessageSize = null;
            });
            services.AddGrpcReflection();
            services.AddOpenApiDocument();
            services.AddBrowserAccess();
        }, app =>
        {
            GrpcServerHost.UseGrpcRouting(app);
            if (host.DashboardEndpoint is not null) SiloDashboard.UseIn(app);
            app.UseMiddleware<RefusedRequestStatus>();
            app.UseMiddleware<RequestBodyDeadline>();
            app.UseBrowserAccess();
            app.MapOpenApiDocument();
            app.MapGrpcService<AlignmentService>();
            app.MapGrpcService<ServingHealth>();
            app.MapGrpcReflectionService();
            app.UseEndpoints(_ => { });
        });
    }
}

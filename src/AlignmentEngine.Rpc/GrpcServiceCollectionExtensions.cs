using AlignmentEngine.Rpc.Internal;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AlignmentEngine.Rpc;

/// <summary>Registration of the transport and of services on it.</summary>
public static class GrpcServiceCollectionExtensions
{
    /// <summary>Adds the transport (idempotent) and optionally configures it.</summary>
    public static IServiceCollection AddGrpcTransport(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddLogging();
        services.TryAddSingleton<GrpcDispatcher>();
        return services;
    }

    /// <summary>
    /// Serves <paramref name="descriptor"/> with handlers on <typeparamref name="TService"/>. The service
    /// is added as a singleton unless already registered; a scoped or transient registration is
    /// honoured (resolved from the request scope per call).
    /// </summary>
    public static IServiceCollection AddGrpcService<TService>(
        this IServiceCollection services,
        ServiceDescriptor descriptor,
        Action<GrpcServiceBuilder<TService>> bind)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(bind);
        services.AddGrpcTransport();
        services.TryAddSingleton<TService>();
        var singleton = services.LastOrDefault(d => d.ServiceType == typeof(TService))?.Lifetime == ServiceLifetime.Singleton;

        var builder = new GrpcServiceBuilder<TService>(descriptor);
        bind(builder);
        services.AddSingleton(new GrpcServiceRegistration(descriptor, provider =>
        {
            ServiceFactory<TService> factory;
            if (singleton)
            {
                var instance = new Lazy<TService>(provider.GetRequiredService<TService>);
                factory = _ => instance.Value;
            }
            else
            {
                factory = static http => http.RequestServices.GetRequiredService<TService>();
            }

            var methods = new List<ServerMethod>(builder.Methods.Count);
            foreach (var create in builder.Methods)
            {
                methods.Add(create(factory));
            }

            return methods;
        }));
        return services;
    }

    /// <summary>Adds <c>grpc.health.v1.Health</c>; set statuses through <see cref="GrpcHealthService"/> (the server itself, "", starts SERVING).</summary>
    public static IServiceCollection AddGrpcHealthChecks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddGrpcService<GrpcHealthService>(Grpc.Health.V1.HealthReflection.Descriptor.Services[0], GrpcHealthService.Bind);
    }

    /// <summary>Adds server reflection (<c>grpc.reflection.v1</c> and <c>v1alpha</c>) describing every registered service.</summary>
    public static IServiceCollection AddGrpcReflection(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGrpcService<ReflectionService>(Grpc.Reflection.V1.ReflectionReflection.Descriptor.Services[0], ReflectionService.BindV1);
        services.AddGrpcService<ReflectionServiceV1Alpha>(Grpc.Reflection.V1Alpha.ReflectionReflection.Descriptor.Services[0], ReflectionServiceV1Alpha.Bind);
        return services;
    }

    /// <summary>Serves every registered gRPC service; terminal: anything else gets a gRPC-style refusal.</summary>
    public static IApplicationBuilder UseGrpcTransport(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var dispatcher = app.ApplicationServices.GetRequiredService<GrpcDispatcher>();
        app.Run(new RequestDelegate(dispatcher.HandleAsync));
        return app;
    }
}

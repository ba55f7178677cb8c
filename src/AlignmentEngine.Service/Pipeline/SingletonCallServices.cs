using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentEngine.Service.Pipeline;

/// <summary>
/// A gRPC call to a service registered as a singleton is served from the application's services, with no request
/// scope. grpc-dotnet finds the service instance (and each interceptor) through <c>HttpContext.RequestServices</c>,
/// which makes a dependency-injection scope on first use and disposes it when the request ends: for a singleton that
/// is work for nothing, on every call (docs/benchmark-log.md measures it). A service registered scoped or transient still
/// gets its request scope.
/// </summary>
internal sealed class SingletonCallServices(RequestDelegate next, IServiceProvider services, SingletonCallServices.Singletons singletons)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc && singletons.Types.Contains(grpc.ServiceType))
        {
            context.RequestServices = services;
        }

        return next(context);
    }

    /// <summary>The service types registered as singletons, read once the host's services are all registered.</summary>
    internal sealed class Singletons(IServiceCollection registered)
    {
        public IReadOnlySet<Type> Types { get; } = registered.Where(d => d.Lifetime == ServiceLifetime.Singleton).Select(d => d.ServiceType).ToHashSet();
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;

namespace AlignmentEngine.Service.Hosting;

/// <summary>
/// The Orleans dashboard (Microsoft.Orleans.Dashboard) of this silo on an endpoint of its own
/// (<c>okr serve --dashboard ADDRESS:PORT</c>, cleartext HTTP/1.1 for a browser): the page at <c>/</c> and the JSON it
/// reads (<c>/DashboardCounters</c>, <c>/ClusterStats</c>, <c>/GrainStats/...</c>, ...): the cluster's silos, and the
/// grain activations and calls of the silos that add it (each collects its own). The package checks no credential, so neither does this endpoint: whoever reaches it sees
/// the tenants' names (grain keys) and call rates. Its live log stream is off (the log goes to standard error and to the
/// collector). Its paths answer 404 on the service's endpoints, and the service's paths answer 404 on it.
/// </summary>
public sealed class SiloDashboard
{
    /// <summary>The key a connection accepted on the dashboard's endpoint carries in its items.</summary>
    private const string ConnectionMarker = "okr.dashboard";

    private ListenOptions? _listen;

    private SiloDashboard()
    {
    }

    /// <summary>The address it is bound to (the actual port when port 0 was asked for); null before the host starts.</summary>
    public IPEndPoint? BoundEndpoint => _listen?.IPEndPoint;

    /// <summary>Adds the dashboard's grains and services to the silo, and its endpoint to Kestrel's.</summary>
    internal static void AddTo(ISiloBuilder silo, IPEndPoint endpoint)
    {
        var dashboard = new SiloDashboard();
        silo.AddDashboard(options => options.HideTrace = true);
        silo.Services.AddSingleton(dashboard);
        silo.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Listen(endpoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(next => connection =>
            {
                connection.Items[ConnectionMarker] = true;
                return next(connection);
            });
            dashboard._listen = listen;
        }));
    }

    /// <summary>
    /// Maps the dashboard's paths, and keeps each endpoint to its own paths; to be called right after routing, so that
    /// the matched endpoint is known and nothing else has run.
    /// </summary>
    internal static void UseIn(WebApplication app)
    {
        app.Use((context, next) =>
        {
            var onDashboard = context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ConnectionMarker) == true;
            var forDashboard = context.GetEndpoint()?.Metadata.GetMetadata<DashboardPath>() is not null;
            if (onDashboard == forDashboard) return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        app.MapOrleansDashboard().WithMetadata(new DashboardPath());
    }

    /// <summary>Marks the endpoints of the dashboard's paths.</summary>
    private sealed class DashboardPath;
}

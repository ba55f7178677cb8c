using System.Net;
using AlignmentEngine.Service.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AlignmentEngine.ClusterSilo;

/// <summary>A silo on 127.0.0.1 in a PostgreSQL-membership cluster as <c>okr serve --cluster</c> sets one up, with <see cref="WhereaboutsGrain"/> and nothing else.</summary>
public static class TestSilo
{
    /// <summary>
    /// The host of one silo of cluster <paramref name="clusterId"/> whose membership is in the database at
    /// <paramref name="connectionString"/> (already migrated), listening for silos on <paramref name="siloPort"/>; not started.
    /// </summary>
    public static IHost Build(string connectionString, string clusterId, int siloPort) =>
        Host.CreateDefaultBuilder()
            // Errors only: a killed peer makes every survivor warn about each refused connection.
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Error))
            .UseOrleans(silo => silo.UsePostgresClustering(
                new ClusterSettings(connectionString) { ClusterId = clusterId, SiloEndpoint = new IPEndPoint(IPAddress.Loopback, siloPort) }))
            .Build();
}

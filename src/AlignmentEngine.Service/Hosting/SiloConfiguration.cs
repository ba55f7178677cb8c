using System.Net;
using System.Net.Sockets;
using AlignmentEngine.Service.Cluster;
using Orleans.Configuration;

namespace AlignmentEngine.Service.Hosting;

/// <summary>
/// The Orleans silo every service process is. The embedded default is a cluster of one: localhost clustering, its
/// membership kept in memory (no database beside the store), silo-to-silo traffic on a free loopback port, and no
/// gateway, since the gRPC front is the silo's only client and calls its grains in process. With a
/// <see cref="ClusterSettings"/> (<c>okr serve --cluster</c>) it is one silo of a cluster whose membership is in
/// PostgreSQL (<see cref="PostgresClustering"/>), still without a gateway.
/// </summary>
internal static class SiloConfiguration
{
    public const string ServiceId = "okr-alignment";

    /// <param name="silo">The silo being built.</param>
    /// <param name="cluster">The cluster it joins; null, a cluster of one.</param>
    /// <param name="traced">Whether spans are exported (<c>--otlp-endpoint</c>): only then do grain calls carry the RPC's trace.</param>
    public static void Configure(ISiloBuilder silo, ClusterSettings? cluster, bool traced)
    {
        if (cluster is null) silo.UseLocalhostClustering(siloPort: FreeLoopbackPort(), gatewayPort: 0, serviceId: ServiceId, clusterId: ServiceId);
        else silo.UsePostgresClustering(cluster);
        ConfigureGrains(silo, traced);
    }

    /// <summary>What every silo of this service sets, whatever its clustering.</summary>
    public static void ConfigureGrains(ISiloBuilder silo, bool traced)
    {
        ArgumentNullException.ThrowIfNull(silo);

        // A write to a million-goal tenant (an import: 10-15 s on SQLite, docs/benchmarks.md, "Storage") must not be cut
        // short by Orleans' default of 30 s on a loaded machine.
        silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromMinutes(2));

        // When spans are exported, the RPC's span continues into the grain, on whichever silo it is: the grain's spans are
        // the RPC's descendants. Otherwise nothing would collect them, and the propagation's filters cost every grain call
        // about as much as the rest of the hop (docs/benchmarks.md, "Quiet re-run").
        if (traced) silo.AddActivityPropagation();
    }

    /// <summary>A loopback port no one listens on now (the system's choice for port 0), for a single silo's own traffic.</summary>
    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

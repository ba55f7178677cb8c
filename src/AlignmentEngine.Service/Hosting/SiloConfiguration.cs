using System.Net;
using System.Net.Sockets;
using AlignmentEngine.Service.Capacity;
using AlignmentEngine.Service.Cluster;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>How long a tenant's activation may take, its wait for a load slot included (see <see cref="ConfigureGrains"/>).</summary>
    public static readonly TimeSpan ActivationTimeout = TimeSpan.FromMinutes(2);

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

        // An activation waits for one of the silo's load slots (--max-concurrent-loads), then loads the tenant: a
        // million-goal tenant takes about 6 s here (docs/benchmarks.md, "Storage"). After a silo dies, a survivor may be
        // asked for many of its tenants at once, and loads them a few at a time: Orleans' default of 30 s would fail the
        // activations at the back of the queue (with 2 slots, those behind ten 1M-goal loads), each failing its call and
        // being tried again by the next one. Two minutes lets about forty 1M-goal tenants queue on one silo; the calls
        // beyond that are refused with UNAVAILABLE (TenantLoads) and the client retries.
        silo.Configure<GrainCollectionOptions>(collection => collection.ActivationTimeout = ActivationTimeout);

        // A call waits for its tenant's activation and then runs, so it may take longer than the activation: the front
        // waits for the activation's own answer (a tenant, or UNAVAILABLE) rather than giving up first with a bare
        // timeout. The minute beyond it covers the call itself: a write to a million-goal tenant (an import: 10-15 s on
        // SQLite, docs/benchmarks.md, "Storage") on a loaded machine.
        silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = ActivationTimeout + TimeSpan.FromMinutes(1));

        // Every silo tells the others how much of its memory budget is left (--max-resident-goals), and tenants are
        // placed by their size where there is room (SizeAwarePlacementDirector; the size from the silos that held the
        // tenant, else from the store's count).
        silo.AddGrainService<CapacityService>();
        silo.Services.AddSingleton<CapacityClient>();
        silo.Services.AddSingleton<StoredTenantSizes>();
        silo.AddPlacementDirector<SizeAwarePlacement, SizeAwarePlacementDirector>();

        // When spans are exported, the RPC's span continues into the grain, on whichever silo it is: the grain's spans are
        // the RPC's descendants. Otherwise nothing would collect them, and the propagation's filters cost every grain call
        // about as much as the rest of the hop (docs/benchmark-log.md, "Quiet re-run").
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

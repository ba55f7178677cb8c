using Orleans.Configuration;

namespace AlignmentEngine.Service.Cluster;

/// <summary>A silo whose cluster membership is kept in PostgreSQL (<c>okr serve --cluster postgres:CONNECTION</c>).</summary>
public static class PostgresClustering
{
    /// <summary>The ADO.NET provider name Orleans loads Npgsql by.</summary>
    private const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// Makes the silo a member of the cluster <paramref name="settings"/> describe: membership in its PostgreSQL
    /// database (which must hold the membership schema: <see cref="Storage.ClusterMembershipSchema.MigrateAsync"/>, run
    /// before the silo starts), the silo endpoint, and failure detection. No Orleans gateway is opened: a cluster's
    /// clients are those of the gRPC, REST and gRPC-Web fronts, where API keys are checked, and a gateway would be a
    /// door to every tenant's grain that checks none.
    /// </summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder silo, ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(settings);
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = settings.ConnectionString;
        });
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = settings.ClusterId;
            cluster.ServiceId = Hosting.SiloConfiguration.ServiceId;
        });
        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.AdvertisedIPAddress = settings.SiloEndpoint.Address;
            endpoints.SiloPort = settings.SiloEndpoint.Port;
            endpoints.SiloListeningEndpoint = settings.SiloListenEndpoint;
            endpoints.GatewayPort = 0;
            endpoints.GatewayListeningEndpoint = null;
        });
        silo.Configure<ClusterMembershipOptions>(settings.FailureDetection.ApplyTo);
        return silo;
    }
}

using Orleans.Configuration;

namespace AlignmentEngine.Service.Cluster;

/// <summary>A silo whose cluster membership is kept in PostgreSQL (<c>okr serve --cluster postgres:CONNECTION</c>).</summary>
public static class PostgresClustering
{
    /// <summary>The ADO.NET provider name Orleans loads Npgsql by.</summary>
    private const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// Keeps the silo's membership in the PostgreSQL database at <paramref name="connectionString"/>, which must hold
    /// the membership schema (<see cref="Storage.ClusterMembershipSchema.Migrate"/>, run before the silo starts), and
    /// detects dead silos as <paramref name="failureDetection"/> says. The cluster is the silos that share the
    /// database and Orleans' <see cref="ClusterOptions.ClusterId"/>.
    /// </summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder silo, string connectionString, FailureDetection failureDetection)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(failureDetection);
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = connectionString;
        });
        silo.Configure<ClusterMembershipOptions>(failureDetection.ApplyTo);
        return silo;
    }
}

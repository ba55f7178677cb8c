using System.Net;

namespace AlignmentEngine.Service.Cluster;

/// <summary>
/// What makes an <c>okr serve</c> silo a member of a cluster (<c>okr serve --cluster postgres:CONNECTION</c>) rather than
/// a single silo on its own: the PostgreSQL database that holds the membership, the cluster's name in it, the
/// address the other silos reach this one on, and how dead silos are detected.
/// </summary>
/// <param name="ConnectionString">The membership database (Npgsql connection string), migrated before the silo starts.</param>
public sealed record ClusterSettings(string ConnectionString)
{
    /// <summary>Orleans' conventional silo-to-silo port.</summary>
    public const int DefaultSiloPort = 11111;

    /// <summary>The cluster's name when none is given: the silos sharing a database and this name form one cluster.</summary>
    public const string DefaultClusterId = "okr";

    public string ClusterId { get; init; } = DefaultClusterId;

    /// <summary>
    /// Where the other silos reach this one (a specific address, written to the membership table), and where it
    /// listens unless <see cref="SiloListenEndpoint"/> says otherwise.
    /// </summary>
    public IPEndPoint SiloEndpoint { get; init; } = new(IPAddress.Loopback, DefaultSiloPort);

    /// <summary>Where the silo listens when that differs from <see cref="SiloEndpoint"/> (behind NAT, or 0.0.0.0 in a container); null: the same.</summary>
    public IPEndPoint? SiloListenEndpoint { get; init; }

    public FailureDetection FailureDetection { get; init; } = new();
}

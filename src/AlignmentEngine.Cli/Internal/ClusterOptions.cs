using System.CommandLine;
using System.Globalization;
using System.Net;
using AlignmentEngine.Service.Cluster;
using AlignmentEngine.Storage;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr serve</c>'s cluster options. With <c>--cluster postgres:CONNECTION</c> the process is one silo of a cluster
/// whose membership is kept in that database (and, unless <c>--store</c> says otherwise, whose tenants are kept there
/// too); without it, it is a single silo on its own and every other option here is refused.
/// </summary>
internal sealed class ClusterOptions
{
    private static readonly FailureDetection Defaults = new();

    private readonly Option<string?> _cluster = new("--cluster")
    {
        Description = "Be one silo of a cluster of okr serve processes whose membership is kept in this PostgreSQL database: postgres:CONNECTION-STRING. " +
                      "The store defaults to the same database; it must be one every silo reaches (postgres: or sqlserver:).",
    };

    private readonly Option<string> _clusterId = new("--cluster-id")
    {
        Description = "The cluster's name in the membership database: the processes with the same database and name form one cluster.",
        DefaultValueFactory = _ => ClusterSettings.DefaultClusterId,
    };

    private readonly Option<IPEndPoint?> _siloAddress = ServeCommand.EndpointOption("--silo-address",
        $"Where the other silos reach this one, IP:PORT with a specific address (default 127.0.0.1:{ClusterSettings.DefaultSiloPort}); off the loopback only with --allow-cleartext (silo traffic is not encrypted).",
        "10.0.0.5:11111");

    private readonly Option<IPEndPoint?> _siloListen = ServeCommand.EndpointOption("--silo-listen",
        "Where the silo listens when that is not --silo-address (behind NAT, or 0.0.0.0:PORT in a container).", "0.0.0.0:11111");

    private readonly Option<double> _probeTimeout = Seconds("--cluster-probe-timeout", "Seconds a probe of another silo may take before it counts as missed.", Defaults.ProbeTimeout);

    private readonly Option<int> _missedProbes = CommonOptions.WholeNumber("--cluster-missed-probes",
        "Missed probes in a row after which a silo suspects another.", 0, int.MaxValue, Defaults.MissedProbesLimit);

    private readonly Option<int> _deathVotes = CommonOptions.WholeNumber("--cluster-death-votes",
        "Suspicions from different silos that declare a silo dead.", 0, int.MaxValue, Defaults.VotesForDeath);

    private readonly Option<double> _iAmAlive = Seconds("--cluster-heartbeat", "Seconds between a silo's heartbeats in the membership table.", Defaults.IAmAlivePeriod);

    private readonly Option<double> _defunctAfter = Seconds("--cluster-defunct-after", "Seconds the membership rows of silos no longer active are kept.", Defaults.DefunctSiloExpiration);

    public IEnumerable<Option> All => [_cluster, _clusterId, _siloAddress, _siloListen, _probeTimeout, _missedProbes, _deathVotes, _iAmAlive, _defunctAfter];

    /// <summary>
    /// The cluster the command line asks for (null without <c>--cluster</c>), or one line saying which option is wrong
    /// and why. <paramref name="allowCleartext"/> lets the silo address be off the loopback.
    /// </summary>
    public (ClusterSettings? Settings, string? Error) Read(ParseResult result, bool allowCleartext)
    {
        if (result.GetValue(_cluster) is not { } location)
        {
            var stray = All.Skip(1).FirstOrDefault(o => result.GetResult(o) is { Implicit: false });
            return (null, stray is null ? null : $"{stray.Name} needs --cluster");
        }

        string connectionString;
        try
        {
            connectionString = ClusterMembershipSchema.ConnectionStringOf(location);
        }
        catch (ArgumentException e)
        {
            return (null, $"--cluster: {OneLine.Of(e)}");
        }

        var clusterId = result.GetRequiredValue(_clusterId);
        if (clusterId.Length is 0 or > 150 || clusterId.Any(char.IsControl))
        {
            return (null, $"--cluster-id must be 1 to 150 characters without control characters, not '{clusterId}'");
        }

        var silo = result.GetValue(_siloAddress) ?? new IPEndPoint(IPAddress.Loopback, ClusterSettings.DefaultSiloPort);
        if (silo.Address.Equals(IPAddress.Any) || silo.Address.Equals(IPAddress.IPv6Any) || silo.Port == 0)
        {
            return (null, $"--silo-address must be a specific address and port the other silos can reach, not {silo} (to listen on every address, add --silo-listen 0.0.0.0:{silo.Port})");
        }

        if (!IPAddress.IsLoopback(silo.Address) && !allowCleartext)
        {
            return (null, $"--silo-address {silo} is not a loopback address, and silo traffic (every tenant's calls) is neither encrypted nor authenticated: " +
                          "keep the silos on a network of their own and say so with --allow-cleartext");
        }

        var detection = new FailureDetection
        {
            ProbeTimeout = TimeSpan.FromSeconds(result.GetValue(_probeTimeout)),
            MissedProbesLimit = result.GetValue(_missedProbes),
            VotesForDeath = result.GetValue(_deathVotes),
            IAmAlivePeriod = TimeSpan.FromSeconds(result.GetValue(_iAmAlive)),
            DefunctSiloExpiration = TimeSpan.FromSeconds(result.GetValue(_defunctAfter)),
        };
        if (detection.Problems() is [var (setting, problem), ..])
        {
            var option = setting switch
            {
                nameof(FailureDetection.ProbeTimeout) => _probeTimeout,
                nameof(FailureDetection.MissedProbesLimit) => _missedProbes,
                nameof(FailureDetection.VotesForDeath) => _deathVotes,
                nameof(FailureDetection.IAmAlivePeriod) => _iAmAlive,
                _ => (Option)_defunctAfter,
            };
            return (null, $"{option.Name} {problem}");
        }

        return (new ClusterSettings(connectionString)
        {
            ClusterId = clusterId,
            SiloEndpoint = silo,
            SiloListenEndpoint = result.GetValue(_siloListen),
            FailureDetection = detection,
        }, null);
    }

    /// <summary>A duration in seconds (a decimal number); its range is <see cref="FailureDetection.Problems"/>'s.</summary>
    /// <summary>
    /// The store to serve: <c>--store</c> (or <c>OKR_STORE</c>) as given; in a cluster, when neither is, the cluster's
    /// own database. A cluster's store must be one every silo reaches: a SQLite file, on one machine, is refused.
    /// </summary>
    public static (string? Store, string? Error) Store(ParseResult result, Option<string> store, ClusterSettings? cluster)
    {
        var location = result.GetRequiredValue(store);
        if (cluster is null) return (location, null);
        var chosen = result.GetResult(store) is { Implicit: false } || Environment.GetEnvironmentVariable(StoreOption.Variable) is { Length: > 0 };
        if (!chosen) return ($"postgres:{cluster.ConnectionString}", null);
        return location.StartsWith("sqlite:", StringComparison.Ordinal)
            ? (null, $"--cluster needs a store every silo reaches, postgres: or sqlserver:, not {location} (a file on one machine); without --store the cluster's own database is the store")
            : (location, null);
    }

    private static Option<double> Seconds(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = $"{description} Default {defaultValue.TotalSeconds.ToString(CultureInfo.InvariantCulture)}.",
        DefaultValueFactory = _ => defaultValue.TotalSeconds,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value is >= 0 and < 1e9) return value;
            r.AddError($"{name} must be a number of seconds, e.g. 1.5, not '{text}'.");
            return 0;
        },
    };
}

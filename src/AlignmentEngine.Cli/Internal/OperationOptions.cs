using System.CommandLine;
using System.Globalization;
using System.Net;
using AlignmentEngine.Service;
using AlignmentEngine.Service.Cluster;
using AlignmentEngine.Service.Hosting;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr serve</c>'s options for running it: the Orleans dashboard (<c>--dashboard</c>), hosting in a Kubernetes pod
/// (<c>--kubernetes</c>), how often open watches renew their subscriptions (<c>--watch-renewal</c>), and
/// <c>--check</c>, which reads every option as serve would and stops before serving.
/// </summary>
internal sealed class OperationOptions
{
    /// <summary>An hour: a watch silent for longer after a failover would look broken to any client.</summary>
    private const double LongestWatchRenewal = 3600;

    private static readonly AlignmentServiceOptions Defaults = new();

    private readonly Option<TimeSpan> _watchRenewal = CommonOptions.Duration("--watch-renewal",
        "Seconds between an open WatchRollups stream's renewals of its subscription to the tenant. A change committed by an activation that does not know the watch " +
        "(after a failover, an eviction or a reload) reaches it within this time; each open watch costs its tenant one call per period. " +
        $"Default {Defaults.WatchResubscribePeriod.TotalSeconds.ToString(CultureInfo.InvariantCulture)}.",
        Defaults.WatchResubscribePeriod, 0.1, LongestWatchRenewal, "1 or 2.5");

    private readonly Option<IPEndPoint?> _dashboard = ServeCommand.EndpointOption("--dashboard",
        "Serve the Orleans dashboard (the cluster's silos, grain activations and calls) here, cleartext HTTP/1.1 with no authentication of its own: " +
        "keep it on the loopback (reach it through an SSH tunnel or kubectl port-forward); off the loopback only with --allow-cleartext. Off by default.",
        "127.0.0.1:8081");

    private readonly Option<bool> _kubernetes = new("--kubernetes")
    {
        Description = "Run as a silo in a Kubernetes pod (with --cluster): the silo takes the pod's name and IP from POD_NAME, POD_NAMESPACE and POD_IP, " +
                      "listens on every address of the pod, and is declared dead as soon as its pod is deleted. Needs --allow-cleartext (silo traffic is not encrypted).",
    };

    private readonly Option<bool> _check = new("--check")
    {
        Description = "Read the options (and the variables they fall back on) as serve would, say what would be served, and exit: no port is opened and no database is reached.",
    };

    public IEnumerable<Option> All => [_dashboard, _kubernetes, _watchRenewal, _check];

    /// <summary>Sets the service's options given here (the watch renewal period).</summary>
    public Action<AlignmentServiceOptions> Read(ParseResult result)
    {
        var renewal = result.GetValue(_watchRenewal);
        return options => options.WatchResubscribePeriod = renewal;
    }

    /// <summary>Whether <c>--check</c> was given.</summary>
    public bool Checking(ParseResult result) => result.GetValue(_check);

    /// <summary>
    /// The dashboard's endpoint (null: none), or one line saying why it is refused: off the loopback it needs
    /// <paramref name="allowCleartext"/>, and it must not be one of the service's own endpoints.
    /// </summary>
    public (IPEndPoint? Endpoint, string? Error) Dashboard(ParseResult result, bool allowCleartext, params IPEndPoint?[] taken)
    {
        if (result.GetValue(_dashboard) is not { } endpoint) return (null, null);
        if (!IPAddress.IsLoopback(endpoint.Address) && !allowCleartext)
        {
            return (null, $"--dashboard {endpoint} is not a loopback address, and the dashboard has no authentication of its own: keep it on 127.0.0.1 and reach it through a tunnel, " +
                          "or say with --allow-cleartext that the network in front of it is yours");
        }

        if (endpoint.Port != 0 && taken.Any(t => t is not null && t.Port == endpoint.Port))
        {
            return (null, $"--dashboard {endpoint} needs a port of its own, not one of --address's or --http-address's");
        }

        return (endpoint, null);
    }

    /// <summary>
    /// The pod this silo runs in and the cluster placed on its address (<see cref="KubernetesPod.Place"/>), or the
    /// cluster unchanged without <c>--kubernetes</c>; or one line saying why it is refused.
    /// </summary>
    public (ClusterSettings? Cluster, KubernetesPod? Pod, string? Error) Kubernetes(
        ParseResult result, ClusterSettings? cluster, bool allowCleartext, Func<string, string?> environment)
    {
        if (!result.GetValue(_kubernetes)) return (cluster, null, null);
        if (cluster is null) return (null, null, "--kubernetes needs --cluster: the membership stays in PostgreSQL, Kubernetes only tells which pods are gone");
        var placed = result.CommandResult.Command.Options.FirstOrDefault(o => o.Name is "--silo-address" or "--silo-listen" && result.GetResult(o) is { Implicit: false });
        if (placed is not null) return (null, null, $"{placed.Name} cannot be given with --kubernetes: the silo is reached on the pod's IP (POD_IP), port {ClusterSettings.DefaultSiloPort}");
        if (!allowCleartext)
        {
            return (null, null, "--kubernetes puts the silo on the pod network, and silo traffic (every tenant's calls) is neither encrypted nor authenticated: " +
                                "keep the silos on a network of their own (a NetworkPolicy) and say so with --allow-cleartext");
        }

        var (pod, error) = KubernetesPod.From(environment);
        return pod is null ? (null, null, $"--kubernetes: {error}") : (pod.Place(cluster), pod, null);
    }
}

using System.Net;
using AlignmentEngine.Service.Cluster;
using Orleans.Hosting.Kubernetes;

namespace AlignmentEngine.Service.Hosting;

/// <summary>
/// The Kubernetes pod a silo runs in (<c>okr serve --cluster ... --kubernetes</c>), as the pod's environment tells it
/// through the downward API: <c>POD_NAME</c>, <c>POD_NAMESPACE</c> and <c>POD_IP</c>, the variables
/// Microsoft.Orleans.Hosting.Kubernetes reads. Its hosting extension names the silo after the pod, labels the pod with
/// the cluster, and declares a silo dead as soon as its pod is deleted (rather than after missed probes); membership stays
/// in PostgreSQL. The silo is reached on the pod's IP and listens on every address of the pod.
/// </summary>
/// <param name="Name">The pod's name, which becomes the silo's name.</param>
/// <param name="Namespace">The namespace every silo of the cluster runs in.</param>
/// <param name="Address">The pod's IP address, which the other silos reach this one on.</param>
public sealed record KubernetesPod(string Name, string Namespace, IPAddress Address)
{
    /// <summary>The variables read, in the order they are reported missing.</summary>
    public static readonly IReadOnlyList<string> Variables =
    [
        KubernetesHostingOptions.PodNameEnvironmentVariable,
        KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
        KubernetesHostingOptions.PodIPEnvironmentVariable,
    ];

    /// <summary>The pod <paramref name="environment"/> describes, or one line naming what is missing or wrong.</summary>
    public static (KubernetesPod? Pod, string? Error) From(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var missing = Variables.Where(v => string.IsNullOrWhiteSpace(environment(v))).ToList();
        if (missing.Count > 0)
        {
            return (null, $"the pod's {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not set: pass them from the downward API (metadata.name, metadata.namespace, status.podIP)");
        }

        var ip = environment(KubernetesHostingOptions.PodIPEnvironmentVariable)!;
        if (!IPAddress.TryParse(ip, out var address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return (null, $"{KubernetesHostingOptions.PodIPEnvironmentVariable} must be the pod's IP address, not '{ip}'");
        }

        return (new KubernetesPod(environment(KubernetesHostingOptions.PodNameEnvironmentVariable)!, environment(KubernetesHostingOptions.PodNamespaceEnvironmentVariable)!, address), null);
    }

    /// <summary>The cluster's settings with this pod's address as the silo's, listening on every address of the pod on the same port.</summary>
    public ClusterSettings Place(ClusterSettings cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var port = cluster.SiloEndpoint.Port;
        return cluster with
        {
            SiloEndpoint = new IPEndPoint(Address, port),
            SiloListenEndpoint = new IPEndPoint(Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, port),
        };
    }

    /// <summary>Orleans' Kubernetes hosting on the silo (it reads the same variables from the environment).</summary>
    internal static void AddTo(ISiloBuilder silo) => silo.UseKubernetesHosting();
}

using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Storage.Tests.Support;

/// <summary><c>okr serve --cluster</c> as a real process: one silo of a cluster whose membership is in PostgreSQL.</summary>
internal static class ClusterServe
{
    /// <summary>
    /// A silo of the cluster whose membership is in <paramref name="cluster"/>, its tenants in <paramref name="store"/>
    /// (null: no --store, so the cluster's database), with <paramref name="args"/> added; on a free loopback silo port
    /// unless they give --silo-address.
    /// </summary>
    public static OkrServer Start(string cluster, string? store, params string[] args) =>
        OkrServer.StartAt("127.0.0.1:0", store, null,
            ["--cluster", cluster, .. args, .. args.Contains("--silo-address") ? Array.Empty<string>() : ["--silo-address", $"127.0.0.1:{SiloProcess.FreePort()}"]]);
}

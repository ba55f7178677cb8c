using System.Globalization;
using AlignmentEngine.Service;
using AlignmentEngine.Service.Hosting;
using AlignmentEngine.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr serve --check</c>: the service is built as serve would build it (the silo's configuration included, so
/// Orleans' Kubernetes hosting has named the silo after its pod), described on one line, and never started: no port is
/// opened, no database reached, no API key read. A deployment's command line (compose, a pod spec) is checked this way.
/// </summary>
internal static class ServeCheck
{
    public static async Task<int> RunAsync(GrpcServerHostOptions hostOptions, Action<AlignmentServiceOptions> configure, CliConsole console)
    {
        var chosen = new AlignmentServiceOptions();
        configure(chosen);
        try
        {
            AlignmentStores.Open(chosen.Store).Dispose();
        }
        catch (ArgumentException e)
        {
            await console.Error.WriteLineAsync($"okr serve: --store: {OneLine.Of(e)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        await using var host = AlignmentServer.Create(hostOptions, configure);
        var silo = host.Services.GetRequiredService<IOptions<SiloOptions>>().Value;
        var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        var parts = new List<string>
        {
            $"gRPC on {hostOptions.Endpoint} ({TlsOptions.Describe(hostOptions.Endpoint, hostOptions.Certificate is not null)})",
        };
        if (hostOptions.HttpEndpoint is { } http) parts.Add($"REST/JSON and gRPC-Web on {http}");
        parts.Add($"store {chosen.Store.Split(':')[0]}");
        if (chosen.Cluster is { } cluster)
        {
            parts.Add($"silo '{silo.SiloName}' at {endpoints.AdvertisedIPAddress}:{endpoints.SiloPort} of cluster '{cluster.ClusterId}' (membership {ClusterMembershipSchema.Describe(cluster.ConnectionString)})");
        }

        if (chosen.MaxResidentGoals is { } budget) parts.Add($"at most {budget} resident goals, {chosen.MaxConcurrentLoads} loads at once");
        if (chosen.WatchResubscribePeriod != new AlignmentServiceOptions().WatchResubscribePeriod)
        {
            parts.Add($"watches renewed every {chosen.WatchResubscribePeriod.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }

        if (chosen.Kubernetes is { } pod) parts.Add($"in Kubernetes pod '{pod.Name}' of namespace '{pod.Namespace}'");
        if (hostOptions.DashboardEndpoint is { } dashboard) parts.Add($"Orleans dashboard on {dashboard}");
        if (chosen.OtlpEndpoint is { } otlp) parts.Add($"telemetry to {otlp}");
        await console.Out.WriteLineAsync($"okr serve --check: usable: {string.Join(", ", parts)}; not checked: the databases, API keys, and whether the ports are free").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}

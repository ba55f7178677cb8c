using System.CommandLine;
using System.Net;
using AlignmentEngine.GoalFiles;
using AlignmentEngine.Grains;
using AlignmentEngine.Service.Cluster;
using AlignmentEngine.Service.Hosting;
using AlignmentEngine.Service;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Service.Tenants;
using AlignmentEngine.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr serve</c>: the AlignmentService on one endpoint (default 127.0.0.1:50051: cleartext HTTP/2; TLS with
/// --tls-cert: HTTP/1.1 and HTTP/2), and with --http-address on a second, cleartext HTTP/1.1 endpoint for REST/JSON and
/// gRPC-Web; optionally with a tenant seeded from a goal tree file, until SIGINT or SIGTERM. Cleartext is
/// served off the loopback only with --allow-cleartext; without API keys in the store it listens on loopback only.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The OpenTelemetry SDKs' standard variable for the collector's address, read when --otlp-endpoint is not given.</summary>
    public const string OtlpVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static Command Create(CliConsole console)
    {
        var address = EndpointOption("--address", "Where to listen, HOST:PORT (port 0 picks a free one).", "127.0.0.1:50051");
        address.DefaultValueFactory = _ => AlignmentServer.DefaultEndpoint;
        var httpAddress = EndpointOption("--http-address",
            "Also listen here, cleartext HTTP/1.1, for REST/JSON and gRPC-Web from clients that do not speak HTTP/2 without TLS (browsers, curl).", "127.0.0.1:8080");
        var corsOrigins = new Option<string[]>("--cors-origin")
        {
            Description = "An origin (https://dashboard.example.com) whose pages may call the service from a browser; repeatable. None by default: no cross-origin call.",
            AllowMultipleArgumentsPerToken = false,
        };
        var seed = new Option<string?>("--seed") { Description = "A goal tree file to load into the seed tenant at start." };
        var tenant = new Option<string>("--seed-tenant") { Description = "The tenant the seed file is loaded into (unless the store already holds it).", DefaultValueFactory = _ => "demo" };
        var seedReplace = new Option<bool>("--seed-replace") { Description = "Load the seed file even when the store already holds the tenant, replacing it (as a new version)." };
        var store = StoreOption.Create();
        var otlp = new Option<Uri?>("--otlp-endpoint")
        {
            Description = $"Export spans and metrics by OTLP/HTTP to this collector, e.g. http://127.0.0.1:4318/ (default ${OtlpVariable}; none: off).",
            DefaultValueFactory = _ => Uri.TryCreate(Environment.GetEnvironmentVariable(OtlpVariable), UriKind.Absolute, out var fromEnvironment) ? fromEnvironment : null,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
                result.AddError($"--otlp-endpoint must be an http:// or https:// address, e.g. http://127.0.0.1:4318/, not '{text}'.");
                return null;
            },
        };
        var limits = new LimitOptions();
        var capacity = new CapacityOptions();
        var tls = new TlsOptions();
        var logs = new LogOptions();
        var webhooks = new WebhookOptions();
        var clusters = new ClusterOptions();
        var operations = new OperationOptions();
        var command = new Command("serve", "Serve the AlignmentService over gRPC, gRPC-Web and REST/JSON.") { address, httpAddress, corsOrigins, seed, tenant, seedReplace, store, otlp };
        foreach (var option in limits.All.Concat(capacity.All).Concat(tls.All).Concat(logs.All).Concat(webhooks.All).Concat(clusters.All).Concat(operations.All)) command.Options.Add(option);
        command.SetAction(async (result, cancellation) =>
        {
            var (certificate, error) = tls.Load(result);
            if (error is not null)
            {
                await console.Error.WriteLineAsync($"okr serve: {error}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var endpoint = result.GetValue(address) ?? AlignmentServer.DefaultEndpoint;
            var http = result.GetValue(httpAddress);
            var refusal = (certificate is null ? tls.RefuseCleartext(result, endpoint) : null) ?? (http is null ? null : tls.RefuseCleartext(result, http));
            if (refusal is not null)
            {
                await console.Error.WriteLineAsync($"okr serve: {refusal}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var (cluster, clusterError) = clusters.Read(result, tls.AllowsCleartext(result));
            var (storeLocation, storeError) = clusterError is null ? ClusterOptions.Store(result, store, cluster) : (null, null);
            var (placed, pod, podError) = operations.Kubernetes(result, cluster, tls.AllowsCleartext(result), Environment.GetEnvironmentVariable);
            var (dashboard, dashboardError) = operations.Dashboard(result, tls.AllowsCleartext(result), endpoint, http);
            if ((clusterError ?? storeError ?? podError ?? dashboardError) is { } refused)
            {
                await console.Error.WriteLineAsync($"okr serve: {refused}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            using (certificate)
            {
                var host = new GrpcServerHostOptions
                {
                    Endpoint = endpoint, HttpEndpoint = http, DashboardEndpoint = dashboard, Certificate = certificate, MaxStreamsPerConnection = limits.MaxStreamsPerConnection(result),
                };
                logs.Apply(result, host);
                var seeding = result.GetValue(seed) is { } seedFile ? new SeedRequest(seedFile, result.GetRequiredValue(tenant), result.GetValue(seedReplace)) : null;
                var origins = result.GetValue(corsOrigins) ?? [];
                var configure = limits.Read(result) + capacity.Read(result) + webhooks.Read(result) + operations.Read(result) + (options =>
                {
                    foreach (var origin in origins) options.CorsOrigins.Add(origin);
                    options.Kubernetes = pod;
                });
                if (operations.Checking(result))
                {
                    return await ServeCheck.RunAsync(host, configure + (options =>
                    {
                        options.Store = storeLocation!;
                        options.Cluster = placed;
                        options.OtlpEndpoint = result.GetValue(otlp);
                    }), console).ConfigureAwait(false);
                }

                return await RunAsync(host, seeding, storeLocation!, placed, result.GetValue(otlp), configure, console, cancellation).ConfigureAwait(false);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(
        GrpcServerHostOptions hostOptions, SeedRequest? seeding, string store, ClusterSettings? cluster, Uri? otlpEndpoint, Action<AlignmentServiceOptions> limits,
        CliConsole console, CancellationToken cancellation)
    {
        try
        {
            // Only the location's form is checked here; the database itself is reached at start, below.
            AlignmentStores.Open(store).Dispose();
        }
        catch (ArgumentException e)
        {
            await console.Error.WriteLineAsync($"okr serve: --store: {OneLine.Of(e)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var endpoint = hostOptions.Endpoint;
        if (PortProbe.InUse(endpoint))
        {
            await console.Error.WriteLineAsync(AddressInUse(endpoint)).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (hostOptions.HttpEndpoint is { } http && PortProbe.InUse(http))
        {
            await console.Error.WriteLineAsync(AddressInUse(http, "--http-address")).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (hostOptions.DashboardEndpoint is { } dashboard && PortProbe.InUse(dashboard))
        {
            await console.Error.WriteLineAsync(AddressInUse(dashboard, "--dashboard")).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (cluster is not null)
        {
            var silo = cluster.SiloListenEndpoint ?? cluster.SiloEndpoint;
            if (PortProbe.InUse(silo))
            {
                await console.Error.WriteLineAsync(AddressInUse(silo, cluster.SiloListenEndpoint is null ? "--silo-address" : "--silo-listen")).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            try
            {
                // The membership tables before the silo starts: Orleans reads its queries from them when it joins.
                await ClusterMembershipSchema.MigrateAsync(cluster.ConnectionString).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StoreUnavailableException or StoreSchemaException)
            {
                await console.Error.WriteLineAsync($"okr serve: --cluster: {OneLine.Of(e)}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }

        await using var host = AlignmentServer.Create(hostOptions, options =>
        {
            options.Store = store;
            options.Cluster = cluster;
            options.OtlpEndpoint = otlpEndpoint;
            limits(options);
        });
        try
        {
            // Migrate now, so that a store that cannot be used stops the start with its reason.
            await host.Services.GetRequiredService<TenantDirectory>().EnsureMigratedAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreUnavailableException or StoreSchemaException)
        {
            await console.Error.WriteLineAsync($"okr serve: {OneLine.Of(e)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Without keys anyone who can connect may read and write every tenant: only this machine may connect then.
        var keysRequired = await ApiKeys.AnyExistAsync(host.Services.GetRequiredService<IAlignmentStore>()).ConfigureAwait(false);
        foreach (var listening in new[] { endpoint, hostOptions.HttpEndpoint })
        {
            if (keysRequired || listening is null || IPAddress.IsLoopback(listening.Address)) continue;
            await console.Error.WriteLineAsync(
                $"okr serve: no API keys in the store, so the service listens on loopback only, not {listening}: create one with 'okr keys create --tenant T --scopes read,write', or listen on 127.0.0.1").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        Core.GoalTree? seed = null;
        if (seeding is not null)
        {
            var read = GoalFileReader.Default.ReadFile(seeding.File);
            if (read.Error is { } error)
            {
                await console.Error.WriteLineAsync($"{error.Path}:{error.Line}:{error.Column}: {error.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            seed = read.Document!.Tree;
        }

        try
        {
            await host.StartAsync(cancellation).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            await console.Error.WriteLineAsync(AddressInUse(endpoint)).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (IOException e)
        {
            await console.Error.WriteLineAsync($"okr serve: cannot listen on {endpoint}: {OneLine.Of(e)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // The seed goes through the tenant's grain, so it follows the silo's start; "listening" is said after it.
        var seeded = string.Empty;
        if (seeding is not null && seed is not null)
        {
            var outcome = await host.Services.GetRequiredService<TenantGrains>().Seed(seeding.Tenant, seed, seeding.Replace).ConfigureAwait(false);
            if (outcome.Outcome == SeedOutcome.Invalid)
            {
                foreach (var finding in outcome.Errors) await console.Error.WriteLineAsync($"{seeding.File}: {finding}").ConfigureAwait(false);
                return ExitCodes.Findings;
            }

            seeded = outcome.Outcome switch
            {
                SeedOutcome.Loaded => $", tenant 'tenants/{seeding.Tenant}' seeded from {seeding.File}",
                SeedOutcome.Replaced => $", tenant 'tenants/{seeding.Tenant}' replaced by {seeding.File} (version {outcome.Version})",
                _ => $", tenant 'tenants/{seeding.Tenant}' already exists (version {outcome.Version}): {seeding.File} was not loaded (--seed-replace replaces it)",
            };
        }

        await console.Out.WriteLineAsync($"okr serve: listening on {host.Addresses.First(a => a.Port == host.Port)}" +
            seeded +
            $", {TlsOptions.Describe(endpoint, hostOptions.Certificate is not null)}" +
            (host.HttpPort is { } httpPort ? $", REST/JSON and gRPC-Web also on {host.Addresses.First(a => a.Port == httpPort)} (cleartext HTTP/1.1)" : string.Empty) +
            $", store {host.Services.GetRequiredService<IAlignmentStore>().Description}" +
            (cluster is null ? string.Empty : $", silo {cluster.SiloEndpoint} of cluster '{cluster.ClusterId}' (membership {ClusterMembershipSchema.Describe(cluster.ConnectionString)})") +
            (host.Services.GetService<SiloDashboard>()?.BoundEndpoint is { } board ? $", Orleans dashboard on http://{board}/ (no authentication)" : string.Empty) +
            (keysRequired ? ", API keys required" : "; no API keys: loopback only")).ConfigureAwait(false);
        await console.Out.FlushAsync(cancellation).ConfigureAwait(false);
        // The host's console lifetime takes SIGINT and SIGTERM. The host then stops accepting calls, lets those in flight
        // finish and stops its silo, all before this returns.
        await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>An option that takes an IP address and port (HOST:PORT), refused with an example otherwise.</summary>
    internal static Option<IPEndPoint?> EndpointOption(string name, string description, string example) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (IPEndPoint.TryParse(text, out var endpoint)) return endpoint;
            result.AddError($"{name} must be HOST:PORT with an IP address, e.g. {example}, not '{text}'.");
            return null;
        },
    };

    private static string AddressInUse(IPEndPoint endpoint, string option = "--address") =>
        $"okr serve: cannot listen on {endpoint}: the address is in use (another okr serve?); choose another with {option} HOST:PORT";

    /// <summary>--seed FILE into --seed-tenant, replacing an existing tenant only with --seed-replace.</summary>
    private sealed record SeedRequest(string File, string Tenant, bool Replace);
}

using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlignmentEngine.Cli.Tests.Support;
using AlignmentEngine.Service;
using AlignmentEngine.Service.Hosting;
using AlignmentEngine.Tests.Shared;
using Grpc.Health.V1;
using Grpc.Net.Client;
using YamlDotNet.RepresentationModel;

namespace AlignmentEngine.Cli.Tests;

/// <summary>
/// docker/compose.yaml and docker/k8s/okr.yaml, which no Docker engine or Kubernetes cluster here runs: each silo's
/// command line (the image's entry point, then the service's arguments) goes through <c>okr serve --check</c> in the
/// environment the container would have (the image's variables, then the service's), so a renamed or refused option
/// fails here; every variable they set is one okr reads (or one the pod's arguments name); every port they publish,
/// expose or probe is one okr listens on with those arguments; the pod's health probes are answered SERVING by a
/// running service; and the names, addresses, ports and credentials the files repeat agree with each other.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static string Docker => Path.Combine(RepoPaths.Root, "docker");

    /// <summary>Variables okr reads that the test process must not pass on unless the deployment sets them.</summary>
    private static readonly string[] ReadVariables = ["OKR_STORE", "OTEL_EXPORTER_OTLP_ENDPOINT", "POD_NAME", "POD_NAMESPACE", "POD_IP"];

    [Test]
    public void Compose_ThreeSilosOfOneCluster_EachCommandLineIsUsable_AndTheFileAgreesWithItself()
    {
        var services = Map(Load(Path.Combine(Docker, "compose.yaml"))[0], "services");
        var image = ImageOf(Path.Combine(Docker, "Dockerfile"));
        var silos = services.Children
            .Where(s => ((YamlMappingNode)s.Value).Children.ContainsKey(new YamlScalarNode("build")) && Text(Map((YamlMappingNode)s.Value, "build"), "dockerfile") == "docker/Dockerfile")
            .ToDictionary(s => ((YamlScalarNode)s.Key).Value!, s => (YamlMappingNode)s.Value);
        silos.Should().HaveCount(3);

        var postgres = services.Children.Single(s => Text((YamlMappingNode)s.Value, "image")!.StartsWith("postgres:", StringComparison.Ordinal));
        var database = Map((YamlMappingNode)postgres.Value, "environment");
        var collector = services.Children.Single(s => Text((YamlMappingNode)s.Value, "image")!.StartsWith("otel/", StringComparison.Ordinal));
        var subnet = Sequence(Map(Map(Map(Load(Path.Combine(Docker, "compose.yaml"))[0], "networks"), "silos"), "ipam"), "config")
            .Cast<YamlMappingNode>().Select(c => Text(c, "subnet")!).Single();

        var siloAddresses = new List<IPEndPoint>();
        var hostPorts = new List<string>();
        var siloPorts = new HashSet<int>();
        var variablesChecked = new HashSet<string>();
        foreach (var (name, silo) in silos)
        {
            var args = image.Arguments.Concat(Sequence(silo, "command").Cast<YamlScalarNode>().Select(a => a.Value!)).ToList();
            var environment = new Dictionary<string, string>(image.Environment);
            foreach (var (key, value) in Map(silo, "environment").Children) environment[((YamlScalarNode)key).Value!] = ((YamlScalarNode)value).Value!;

            var check = Check(args, environment);
            check.ExitCode.Should().Be(0, $"{name}'s command line must be usable: {check}");
            check.StandardOutput.Should().Contain($"of cluster 'okr'");

            // The cluster's and the store's database is the postgres service, with its credentials.
            foreach (var location in new[] { ValueAfter(args, "--cluster"), environment["OKR_STORE"] })
            {
                var connection = new DbConnectionStringBuilder { ConnectionString = location["postgres:".Length..] };
                connection["Host"].Should().Be(((YamlScalarNode)postgres.Key).Value, name);
                connection["Database"].Should().Be(Text(database, "POSTGRES_DB"), name);
                connection["Username"].Should().Be(Text(database, "POSTGRES_USER"), name);
                connection["Password"].Should().Be(Text(database, "POSTGRES_PASSWORD"), name);
            }

            Map(silo, "depends_on").Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value).Should().Contain(((YamlScalarNode)postgres.Key).Value);

            // The silo is reached on its fixed address on the silos' network, inside that network's subnet.
            var siloAddress = IPEndPoint.Parse(ValueAfter(args, "--silo-address"));
            Text(Map(Map(silo, "networks"), "silos"), "ipv4_address").Should().Be(siloAddress.Address.ToString(), name);
            IPNetwork.Parse(subnet).Contains(siloAddress.Address).Should().BeTrue($"{name}'s silo address {siloAddress} is in {subnet}");
            siloAddresses.Add(siloAddress);

            // gRPC: the port okr listens on inside the container is the one published.
            var grpcPort = IPEndPoint.Parse(ValueAfter(args, "--address")).Port;
            var published = Sequence(silo, "ports").Cast<YamlScalarNode>().Select(p => p.Value!.Split(':')).ToList();
            var grpc = published.Single(p => p[^1] == $"{grpcPort}");
            hostPorts.Add(grpc[^2]);

            // Telemetry goes to the collector's OTLP/HTTP receiver.
            var otlp = new Uri(environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            otlp.Host.Should().Be(((YamlScalarNode)collector.Key).Value);
            OtlpHttpPort().Should().Be(otlp.Port);

            // Every silo's dashboard (it collects the grain statistics of its own silo) is published on the host's
            // loopback only.
            var dashboard = IPEndPoint.Parse(ValueAfter(args, "--dashboard"));
            var board = published.Single(p => p[^1] == $"{dashboard.Port}");
            board[0].Should().Be("127.0.0.1", "the dashboard has no authentication");
            hostPorts.Add(board[^2]);

            // Nothing else is published: every port is one okr listens on with these arguments.
            var listened = ListenedPorts(check);
            published.Select(p => int.Parse(p[^1], CultureInfo.InvariantCulture)).Should().BeSubsetOf(listened, $"{name} publishes only ports okr listens on");
            siloPorts.UnionWith(listened);

            // Every variable the silo sets is read by okr (each name checked once, on the first silo that sets it).
            var firstSet = environment.Keys.Where(k => Map(silo, "environment").Children.ContainsKey(new YamlScalarNode(k)) && variablesChecked.Add(k));
            VariablesAreRead(args, environment, check, firstSet);
        }

        siloAddresses.Should().OnlyHaveUniqueItems();
        hostPorts.Should().OnlyHaveUniqueItems();

        // The image exposes ports the silos listen on (gRPC, silo to silo), nothing else.
        image.Exposed.Should().NotBeEmpty().And.BeSubsetOf(siloPorts);

        // The collector publishes its OTLP receivers' ports, and only those.
        Sequence((YamlMappingNode)collector.Value, "ports").Cast<YamlScalarNode>().Select(p => int.Parse(p.Value!.Split(':')[^1], CultureInfo.InvariantCulture))
            .Should().BeEquivalentTo(OtlpReceiverPorts().Values);
    }

    [Test]
    public void Kubernetes_SilosOfAStatefulSet_TheCommandLineIsUsableInThePodsEnvironment_AndTheManifestsAgree()
    {
        var documents = Load(Path.Combine(Docker, "k8s", "okr.yaml"));
        YamlMappingNode Kind(string kind) => documents.Single(d => Text(d, "kind") == kind);
        var set = Kind("StatefulSet");
        var pod = Map(Map(set, "spec"), "template");
        var container = (YamlMappingNode)Sequence(Map(pod, "spec"), "containers").Single();
        var image = ImageOf(Path.Combine(Docker, "Dockerfile"));
        var podName = $"{Text(Map(set, "metadata"), "name")}-0";
        var podNamespace = Text(Map(set, "metadata"), "namespace")!;

        // The pod's environment: the image's, then the container's (secrets from the Secret the comment makes, the
        // downward API's fields as Kubernetes fills them; 192.0.2.10 is a documentation address, never reached).
        var manifest = File.ReadAllText(Path.Combine(Docker, "k8s", "okr.yaml"));
        var environment = new Dictionary<string, string>(image.Environment);
        foreach (var variable in Sequence(container, "env").Cast<YamlMappingNode>())
        {
            var from = Map(variable, "valueFrom");
            var value = from.Children.ContainsKey("secretKeyRef")
                ? SecretValue(manifest, Text(Map(from, "secretKeyRef"), "name")!, Text(Map(from, "secretKeyRef"), "key")!)
                : Text(Map(from, "fieldRef"), "fieldPath") switch
                {
                    "metadata.name" => podName,
                    "metadata.namespace" => podNamespace,
                    "status.podIP" => "192.0.2.10",
                    var other => throw new AssertionException($"no value for the field {other}"),
                };
            environment[Text(variable, "name")!] = value;
        }

        var written = Sequence(container, "args").Cast<YamlScalarNode>().Select(a => a.Value!).ToList();
        var args = image.Arguments.Concat(written.Select(a => ContainerVariable().Replace(a, m => environment[m.Groups[1].Value]))).ToList();
        args.Should().Contain("--kubernetes");
        var check = Check(args, environment);
        check.ExitCode.Should().Be(0, $"the pod's command line must be usable: {check}");
        check.StandardOutput.Should().Contain($"silo '{podName}' at 192.0.2.10:11111", "Orleans' Kubernetes hosting names the silo after its pod");

        // Every variable the pod sets is read by okr, or is one its arguments name (Kubernetes fills in $(NAME)).
        var named = written.SelectMany(a => ContainerVariable().Matches(a).Select(m => m.Groups[1].Value)).ToHashSet();
        VariablesAreRead(args, environment, check, Sequence(container, "env").Cast<YamlMappingNode>().Select(v => Text(v, "name")!).Where(v => !named.Contains(v)));

        // The ports the pod declares are the ones okr listens on; the Service and the probes use them.
        var ports = Sequence(container, "ports").Cast<YamlMappingNode>().ToDictionary(p => Text(p, "name")!, p => int.Parse(Text(p, "containerPort")!, System.Globalization.CultureInfo.InvariantCulture));
        ports["grpc"].Should().Be(IPEndPoint.Parse(ValueAfter(args, "--address")).Port);
        ports["silo"].Should().Be(11111);
        ports.Values.Should().BeSubsetOf(ListenedPorts(check), "the pod declares only ports okr listens on");
        Text(Map(Map(container, "readinessProbe"), "grpc"), "port").Should().Be($"{ports["grpc"]}");
        var service = Kind("Service");
        var servicePort = (YamlMappingNode)Sequence(Map(service, "spec"), "ports").Single();
        Text(servicePort, "targetPort").Should().Be("grpc");
        Labels(Map(Map(service, "spec"), "selector")).Should().BeEquivalentTo(Labels(Map(Map(pod, "metadata"), "labels")));
        Labels(Map(Map(Map(set, "spec"), "selector"), "matchLabels")).Should().BeEquivalentTo(Labels(Map(Map(pod, "metadata"), "labels")));

        // The pod's service account may do what Orleans' Kubernetes hosting does: read, watch and label pods.
        var account = Text(Map(pod, "spec"), "serviceAccountName");
        Text(Map(Kind("ServiceAccount"), "metadata"), "name").Should().Be(account);
        var binding = Kind("RoleBinding");
        Sequence(binding, "subjects").Cast<YamlMappingNode>().Should().Contain(s => Text(s, "name") == account && Text(s, "namespace") == podNamespace);
        Text(Map(binding, "roleRef"), "name").Should().Be(Text(Map(Kind("Role"), "metadata"), "name"));
        var rule = (YamlMappingNode)Sequence(Kind("Role"), "rules").Single();
        Sequence(rule, "resources").Cast<YamlScalarNode>().Select(r => r.Value).Should().Equal("pods");
        Sequence(rule, "verbs").Cast<YamlScalarNode>().Select(v => v.Value).Should().Contain(["get", "watch", "list", "patch"]);

        // Silo traffic is admitted from the silos alone.
        var policy = Kind("NetworkPolicy");
        var siloRule = Sequence(Map(policy, "spec"), "ingress").Cast<YamlMappingNode>()
            .Single(r => Sequence(r, "ports").Cast<YamlMappingNode>().Any(p => Text(p, "port") == $"{ports["silo"]}"));
        Labels(Map(Map((YamlMappingNode)Sequence(siloRule, "from").Single(), "podSelector"), "matchLabels")).Should().BeEquivalentTo(Labels(Map(Map(pod, "metadata"), "labels")));
        documents.Should().OnlyContain(d => Text(Map(d, "metadata"), "namespace") == podNamespace);
    }

    [Test]
    public async Task Kubernetes_HealthProbes_AreAnsweredServing_ByARunningService()
    {
        var set = Load(Path.Combine(Docker, "k8s", "okr.yaml")).Single(d => Text(d, "kind") == "StatefulSet");
        var container = (YamlMappingNode)Sequence(Map(Map(Map(set, "spec"), "template"), "spec"), "containers").Single();
        var probes = new[] { "startupProbe", "readinessProbe", "livenessProbe" }
            .Where(p => container.Children.ContainsKey(new YamlScalarNode(p))).ToDictionary(p => p, p => Map(container, p));
        probes.Should().NotBeEmpty();

        // The service as okr serve runs it, on a store of its own; the probes' port is --address's (the test above).
        var folder = Directory.CreateTempSubdirectory("okr-probes-");
        try
        {
            await using var host = AlignmentServer.Create(new GrpcServerHostOptions(), options => options.Store = $"sqlite:{Path.Combine(folder.FullName, "alignment.db")}");
            await host.StartAsync();
            using var channel = GrpcChannel.ForAddress(host.Addresses[0]);
            foreach (var (name, probe) in probes)
            {
                probe.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value).Should().Contain("grpc", $"{name} is a gRPC health probe, the kind checked here");
                var service = Text(Map(probe, "grpc"), "service") ?? string.Empty;
                var answer = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = service });
                answer.Status.Should().Be(HealthCheckResponse.Types.ServingStatus.Serving, $"{name} asks grpc.health.v1.Health/Check for service '{service}'");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void Check_Kubernetes_WithoutThePodsVariables_IsRefusedNamingThem()
    {
        var run = OkrProcess.RunDllWith(ReadVariables.ToDictionary(v => v, string? (_) => null),
            "serve", "--cluster", "postgres:Host=db;Database=okr;Username=okr", "--kubernetes", "--allow-cleartext", "--check");
        run.ExitCode.Should().Be(2, run.ToString());
        run.StandardError.Trim().Should().Be("okr serve: --kubernetes: the pod's POD_NAME, POD_NAMESPACE, POD_IP are not set: pass them from the downward API (metadata.name, metadata.namespace, status.podIP)");

        var loose = OkrProcess.RunDll("serve", "--kubernetes", "--check");
        loose.ExitCode.Should().Be(2, loose.ToString());
        loose.StandardError.Should().Contain("--kubernetes needs --cluster");
    }

    /// <summary><c>okr serve --check</c> with <paramref name="args"/> (starting with "serve") in <paramref name="environment"/>.</summary>
    private static OkrRun Check(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var variables = ReadVariables.ToDictionary(v => v, v => environment.GetValueOrDefault(v));
        foreach (var (name, value) in environment) variables[name] = value;
        return OkrProcess.RunDllWith(variables, [.. args, "--check"]);
    }

    /// <summary>
    /// Each of <paramref name="variables"/>, set to a value nothing would accept, changes what <c>okr serve --check</c>
    /// says of <paramref name="args"/> (<paramref name="usual"/> with the deployment's values) or has it refused: okr
    /// reads it. A variable okr does not read (a typo, one left over) changes nothing and fails here.
    /// </summary>
    private static void VariablesAreRead(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, OkrRun usual, IEnumerable<string> variables)
    {
        foreach (var variable in variables)
        {
            var changed = new Dictionary<string, string>(environment) { [variable] = "not-read-by-okr" };
            var run = Check(args, changed);
            (run.ExitCode, Steady(run.StandardOutput)).Should().NotBe((usual.ExitCode, Steady(usual.StandardOutput)), $"okr reads {variable}, which the deployment sets");
        }
    }

    /// <summary>
    /// The ports okr serve would listen on, as its <c>--check</c> line says: gRPC (--address), REST/JSON and gRPC-Web
    /// (--http-address), the Orleans dashboard, and the silo's own port.
    /// </summary>
    private static List<int> ListenedPorts(OkrRun check) =>
        [.. ListeningPort().Matches(check.StandardOutput).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    /// <summary>The image's entry point after <c>dotnet okr.dll</c>, its variables (ENV KEY=VALUE) and the ports it exposes.</summary>
    private static (IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<int> Exposed) ImageOf(string dockerfile)
    {
        var lines = File.ReadAllLines(dockerfile);
        var entryPoint = JsonSerializer.Deserialize<string[]>(lines.Last(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal))["ENTRYPOINT ".Length..])!;
        entryPoint[..2].Should().Equal("dotnet", "okr.dll");
        var environment = lines.Where(l => l.StartsWith("ENV ", StringComparison.Ordinal))
            .Select(l => l["ENV ".Length..].Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
        var exposed = lines.Where(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal))
            .SelectMany(l => l["EXPOSE ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
        return (entryPoint[2..], environment, exposed);
    }

    /// <summary>The value the manifest's <c>kubectl create secret generic NAME --from-literal=KEY='VALUE'</c> line gives, with its host made up.</summary>
    private static string SecretValue(string manifest, string name, string key)
    {
        manifest.Should().Contain($"create secret generic {name} --from-literal={key}='postgres:", "the Secret the pod reads is the one the instructions create");
        return "postgres:Host=postgres;Port=5432;Database=okr;Username=okr;Password=example";
    }

    private static int OtlpHttpPort() => OtlpReceiverPorts()["http"];

    /// <summary>The collector's OTLP receivers' ports, by protocol (grpc, http).</summary>
    private static Dictionary<string, int> OtlpReceiverPorts()
    {
        var config = Load(Path.Combine(Docker, "otel-collector.yaml"))[0];
        return Map(Map(Map(config, "receivers"), "otlp"), "protocols").Children
            .ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => IPEndPoint.Parse(Text((YamlMappingNode)p.Value, "endpoint")!).Port);
    }

    private static string ValueAfter(IReadOnlyList<string> args, string option)
    {
        var at = args.ToList().IndexOf(option);
        at.Should().BeGreaterThanOrEqualTo(0, $"the command line has {option}");
        return args[at + 1];
    }

    private static List<YamlMappingNode> Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static YamlSequenceNode Sequence(YamlMappingNode node, string key) => (YamlSequenceNode)node.Children[new YamlScalarNode(key)];

    private static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    private static Dictionary<string, string?> Labels(YamlMappingNode node) =>
        node.Children.ToDictionary(l => ((YamlScalarNode)l.Key).Value!, l => ((YamlScalarNode)l.Value).Value);

    /// <summary>What <c>--check</c> says, but for the name Orleans makes up for a silo outside a pod (Silo_ and a random suffix).</summary>
    private static string Steady(string checkOutput) => MadeUpSiloName().Replace(checkOutput, "silo 'Silo_'");

    /// <summary>An endpoint in the <c>--check</c> line: what listens there, then IP:PORT.</summary>
    [GeneratedRegex(@"(?:gRPC on|REST/JSON and gRPC-Web on|Orleans dashboard on|silo '[^']*' at) \S+?:(\d+)\b")]
    private static partial Regex ListeningPort();

    [GeneratedRegex(@"silo 'Silo_[0-9a-f]+'")]
    private static partial Regex MadeUpSiloName();

    /// <summary>A Kubernetes reference to a container variable in an argument: <c>$(NAME)</c>.</summary>
    [GeneratedRegex(@"\$\(([A-Z_][A-Z0-9_]*)\)")]
    private static partial Regex ContainerVariable();
}

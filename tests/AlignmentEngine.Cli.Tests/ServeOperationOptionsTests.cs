using AlignmentEngine.Cli.Tests.Support;

namespace AlignmentEngine.Cli.Tests;

/// <summary>
/// <c>okr serve</c>'s <c>--kubernetes</c>, <c>--dashboard</c>, <c>--watch-renewal</c> and <c>--check</c>: each refusal is one line naming the
/// option and exit 2, checked before anything is opened; <c>--check</c> alone says what would be served and exits 0.
/// </summary>
public sealed class ServeOperationOptionsTests
{
    private const string Cluster = "postgres:Host=db;Database=okr;Username=okr";

    private static readonly Dictionary<string, string?> Pod = new()
    {
        ["POD_NAME"] = "okr-0", ["POD_NAMESPACE"] = "okr", ["POD_IP"] = "192.0.2.10", ["OKR_STORE"] = null, ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
    };

    [TestCase("okr serve: --silo-address cannot be given with --kubernetes: the silo is reached on the pod's IP (POD_IP), port 11111",
        "--cluster", Cluster, "--kubernetes", "--allow-cleartext", "--silo-address", "127.0.0.1:11112")]
    [TestCase("okr serve: --kubernetes puts the silo on the pod network, and silo traffic (every tenant's calls) is neither encrypted nor authenticated: " +
              "keep the silos on a network of their own (a NetworkPolicy) and say so with --allow-cleartext",
        "--cluster", Cluster, "--kubernetes")]
    [TestCase("okr serve: --dashboard 127.0.0.1:50051 needs a port of its own, not one of --address's or --http-address's",
        "--dashboard", "127.0.0.1:50051")]
    [TestCase("okr serve: --dashboard must be HOST:PORT with an IP address, e.g. 127.0.0.1:8081, not 'localhost'. (see 'okr serve --help')",
        "--dashboard", "localhost")]
    public void Refused_OneLineNamingTheOption(string expected, params string[] args)
    {
        var run = OkrProcess.RunDllWith(Pod, ["serve", .. args, "--check"]);

        run.ExitCode.Should().Be(2, run.ToString());
        run.StandardError.Trim().Should().Be(expected);
        run.StandardOutput.Should().BeEmpty();
    }

    [Test]
    public void Kubernetes_PodIpNotAnAddress_IsRefusedNamingTheVariable()
    {
        var run = OkrProcess.RunDllWith(new Dictionary<string, string?>(Pod) { ["POD_IP"] = "okr-0.okr" }, "serve", "--cluster", Cluster, "--kubernetes", "--allow-cleartext", "--check");

        run.ExitCode.Should().Be(2, run.ToString());
        run.StandardError.Trim().Should().Be("okr serve: --kubernetes: POD_IP must be the pod's IP address, not 'okr-0.okr'");
    }

    [Test]
    public void Check_Defaults_SaysWhatWouldBeServed_AndExitsWithoutServing()
    {
        var run = OkrProcess.RunDllWith(Pod, "serve", "--check");

        run.ExitCode.Should().Be(0, run.ToString());
        run.StandardOutput.Trim().Should().Be(
            "okr serve --check: usable: gRPC on 127.0.0.1:50051 (cleartext HTTP/2 on loopback), store sqlite; not checked: the databases, API keys, and whether the ports are free");
    }

    [Test]
    public void Check_WatchRenewal_IsSaid()
    {
        var run = OkrProcess.RunDllWith(Pod, "serve", "--watch-renewal", "0.5", "--check");

        run.ExitCode.Should().Be(0, run.ToString());
        run.StandardOutput.Should().Contain(", store sqlite, watches renewed every 0.5 s;");
    }

    [Test]
    public void Check_MemoryBudget_IsSaid()
    {
        var run = OkrProcess.RunDllWith(Pod, "serve", "--max-resident-goals", "1500000", "--max-concurrent-loads", "3", "--check");

        run.ExitCode.Should().Be(0, run.ToString());
        run.StandardOutput.Should().Contain(", store sqlite, at most 1500000 resident goals, 3 loads at once;");
    }
}

using System.Net;
using System.Net.Sockets;
using AlignmentEngine.Cli.Tests.Support;

namespace AlignmentEngine.Cli.Tests;

/// <summary>
/// Every command × bad input: exit 2, nothing on stdout, and exactly one line on stderr that names the problem
/// (never a stack trace). {missing} stands for a file that does not exist, {dir} for a folder (unreadable as a file),
/// {goals} for a valid goal file.
/// </summary>
public sealed class CommandFailureTests
{
    private static readonly object[] Table =
    [
        Case("generate --goals 20", "okr generate: --goals must be a whole number from 100 to 2000000, not '20'."),
        Case("generate --goals 3000000", "okr generate: --goals must be a whole number from 100 to 2000000, not '3000000'."),
        Case("generate --goals abc", "okr generate: --goals must be a whole number from 100 to 2000000, not 'abc'."),
        Case("generate --goals 100 --seed x", "okr generate: --seed must be a whole number of any size, not 'x'."),
        Case("generate --goals 100 -o {missing}/out.yaml", "okr: cannot write {missing}/out.yaml"),
        Case("scenario reweight --generate abc", "okr scenario: --generate must be a whole number from 100 to 2000000, not 'abc'."),
        Case("scenario reweight --generate 50", "okr scenario: --generate must be a whole number from 100 to 2000000, not '50'."),
        Case("scenario reweight --generate 100 --share x", "okr scenario: --share must be a number in (0, 1], e.g. 0.5, not 'x'."),
        Case("scenario reweight --generate 100 --share 1.5", "okr scenario: --share must be a number in (0, 1], e.g. 0.5, not '1.5'."),
        Case("scenario reweight --generate 100 --top 0", "okr scenario: --top must be a whole number from 1 to 100000, not '0'."),
        Case("scenario reweight", "okr scenario: Give the organisation with either --file FILE or --generate N."),
        Case("scenario explode --generate 100", "okr scenario: Argument 'explode' not recognized. Must be one of: 'archive-company-objectives'"),
        Case("scenario reweight --file {missing}", "{missing}:1:1: cannot read the file"),
        Case("validate {missing}", "{missing}:1:1: cannot read the file"),
        Case("validate {dir}", "{dir}:1:1: cannot read the file"),
        Case("validate {goals} --fail-on fatal", "okr validate: Argument 'fatal' not recognized. Must be one of: 'error' 'warning' 'info'"),
        Case("rollup {goals} --as-of tomorrow", "okr rollup: --as-of must be a date written YYYY-MM-DD, not 'tomorrow'."),
        Case("render {missing}", "{missing}:1:1: cannot read the file"),
        Case("render {goals} --format png", "okr render: Argument 'png' not recognized."),
        Case("render {goals} --root NOPE", "okr render: --root: no goal 'NOPE' in {goals}"),
        Case("render {goals} --depth x", "okr render: --depth must be a whole number 1 or more, not 'x'."),
        Case("report {missing}", "{missing}:1:1: cannot read the file"),
        Case("report {goals} -o {missing}/report.html", "okr: cannot write {missing}/report.html"),
        Case("report", "okr report: Give a goal FILE or --store STORE --tenant NAME, not both and not neither."),
        Case("report {goals} --store sqlite:{missing} --tenant t", "okr report: Give a goal FILE or --store STORE --tenant NAME, not both and not neither."),
        Case("report --store sqlite:{missing}", "okr report: --store and --tenant go together."),
        Case("report --store sqlite:{missing} --tenant t", "okr report: --store sqlite:{missing}: no such SQLite file"),
        Case("report --store bogus:x --tenant t", "okr report: --store: 'bogus:x' is not a store: use sqlite:PATH"),
        Case("diff {missing} {goals}", "{missing}:1:1: cannot read the file"),
        Case("diff {goals} {missing}", "{missing}:1:1: cannot read the file"),
        Case("serve --address 127.0.0.1:abc", "okr serve: --address must be HOST:PORT with an IP address"),
        Case("serve --address 127.0.0.1:54000 --max-goals-per-tenant 0", "okr serve: --max-goals-per-tenant must be a whole number 1 or more, not '0'."),
        Case("serve --address 127.0.0.1:54000 --max-resident-goals 0", "okr serve: --max-resident-goals must be a whole number 1 or more, not '0'."),
        Case("serve --address 127.0.0.1:54000 --max-resident-goals 1.5M", "okr serve: --max-resident-goals must be a whole number 1 or more, not '1.5M'."),
        Case("serve --address 127.0.0.1:54000 --max-concurrent-loads 0", "okr serve: --max-concurrent-loads must be a whole number from 1 to 64, not '0'."),
        Case("serve --address 127.0.0.1:54000 --max-concurrent-loads 65", "okr serve: --max-concurrent-loads must be a whole number from 1 to 64, not '65'."),
        Case("serve --watch-renewal 0 --check", "okr serve: --watch-renewal must be a number of seconds from 0.1 to 3600, e.g. 1 or 2.5, not '0'."),
        Case("serve --watch-renewal -2 --check", "okr serve: --watch-renewal must be a number of seconds from 0.1 to 3600, e.g. 1 or 2.5, not '-2'."),
        Case("serve --watch-renewal 5s --check", "okr serve: --watch-renewal must be a number of seconds from 0.1 to 3600, e.g. 1 or 2.5, not '5s'."),
        Case("serve --address 127.0.0.1:54000 --store mysql:x", "okr serve: --store: 'mysql:x' is not a store"),
        Case("serve --address 127.0.0.1:0 --store sqlite:{missing}/a.db", "okr serve: sqlite:{missing}/a.db is unavailable"),
        Case("serve --address 127.0.0.1:0 --silo-address 127.0.0.1:54001", "okr serve: --silo-address needs --cluster"),
        Case("serve --address 127.0.0.1:0 --cluster mysql:x", "okr serve: --cluster: 'mysql:x' is not a cluster membership database: use postgres:CONNECTION-STRING"),
        Case("serve --address 127.0.0.1:0 --cluster postgres:Bogus=1", "okr serve: --cluster: 'postgres:Bogus=1' is not a PostgreSQL connection string"),
        Case("serve --address 127.0.0.1:0 --cluster postgres:Host=127.0.0.1 --store sqlite:{missing}/a.db",
            "okr serve: --cluster needs a store every silo reaches, postgres: or sqlserver:, not sqlite:{missing}/a.db"),
        Case("serve --address 127.0.0.1:0 --cluster postgres:Host=127.0.0.1 --silo-address 0.0.0.0:54001",
            "okr serve: --silo-address must be a specific address and port the other silos can reach, not 0.0.0.0:54001"),
        Case("serve --address 127.0.0.1:0 --cluster postgres:Host=127.0.0.1 --silo-address 10.0.0.5:54001",
            "okr serve: --silo-address 10.0.0.5:54001 is not a loopback address, and silo traffic (every tenant's calls) is neither encrypted nor authenticated"),
        Case("serve --address 127.0.0.1:0 --cluster postgres:Host=127.0.0.1 --cluster-probe-timeout 0", "okr serve: --cluster-probe-timeout must be from 0.1 to 60 seconds, not 0"),
        Case("serve --address 127.0.0.1:0 --cluster postgres:Host=127.0.0.1 --cluster-probe-timeout soon", "okr serve: --cluster-probe-timeout must be a number of seconds, e.g. 1.5, not 'soon'."),
        Case("serve --address 127.0.0.1:0 --cluster postgres:Host=127.0.0.1 --cluster-death-votes 0", "okr serve: --cluster-death-votes must be from 1 to 10, not 0"),
        Case("serve --address 127.0.0.1:0 --cluster postgres:Host=127.0.0.1 --cluster-missed-probes 0", "okr serve: --cluster-missed-probes must be from 1 to 10, not 0"),
        Case("serve --address 127.0.0.1:0 --cluster postgres:Host=127.0.0.1 --cluster-missed-probes two", "okr serve: --cluster-missed-probes must be a whole number 0 or more, not 'two'."),
        Case("serve --address 127.0.0.1:0 --cluster postgres:Host=127.0.0.1 --cluster-heartbeat 0.05", "okr serve: --cluster-heartbeat must be from 0.1 to 3600 seconds, not 0.05"),
        Case("serve --address 127.0.0.1:0 --cluster postgres:Host=127.0.0.1 --cluster-defunct-after 30", "okr serve: --cluster-defunct-after must be from 60 to 31536000 seconds, not 30"),
        Case("serve --address 127.0.0.1:0 --cluster-heartbeat 5", "okr serve: --cluster-heartbeat needs --cluster"),
        Case("serve --address 127.0.0.1:0 --cluster postgres:Host=127.0.0.1;Port=1;Username=okr;Database=okr --silo-address 127.0.0.1:54001",
            "okr serve: --cluster: postgres:Host=127.0.0.1;Port=1;Database=okr;Username=okr is unavailable"),
        Case("keys list --store sqlite:{missing}/a.db", "okr keys: sqlite:{missing}/a.db is unavailable"),
        Case("keys list --store mysql:x", "okr keys: --store: 'mysql:x' is not a store: use sqlite:PATH, postgres:CONNECTION-STRING"),
        Case("keys create --scopes read", "okr keys create: Option '--tenant' is required."),
        Case("explode", "okr: Unrecognized command or argument 'explode'."),
    ];

    [TestCaseSource(nameof(Table))]
    public void Command_BadInput_ExitsTwoWithOneLineNamingTheProblem(string commandLine, string firstLine)
    {
        var missing = Path.Combine(Path.GetTempPath(), $"okr-missing-{Guid.NewGuid():N}");
        using var goals = new TempGoalFile("as_of: 2026-11-15\ngoals:\n  - { id: C1, type: objective, level: company }\n");
        string Fill(string text) => text.Replace("{missing}", missing, StringComparison.Ordinal)
            .Replace("{dir}", Path.GetTempPath().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("{goals}", goals.Path, StringComparison.Ordinal);

        var run = OkrProcess.RunDll(Fill(commandLine).Split(' '));

        ShouldBeOneLineUsageError(run, Fill(firstLine));
    }

    [Test]
    public void Serve_PortInUse_ExitsTwoNamingTheAddress()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        var store = Path.Combine(Path.GetTempPath(), $"okr-port-{Guid.NewGuid():N}.db");
        try
        {
            var run = OkrProcess.RunDll("serve", "--address", address, "--store", $"sqlite:{store}");

            ShouldBeOneLineUsageError(run, $"okr serve: cannot listen on {address}: the address is in use (another okr serve?); choose another with --address HOST:PORT");
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(store) + "*")) File.Delete(file);
        }
    }

    [Test]
    public void Serve_SiloPortInUse_ExitsTwoNamingTheSiloAddress()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var silo = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        // The port is checked before the membership database is reached: none needs to answer.
        var run = OkrProcess.RunDll("serve", "--address", "127.0.0.1:0", "--cluster", "postgres:Host=127.0.0.1;Port=1", "--silo-address", silo);

        ShouldBeOneLineUsageError(run, $"okr serve: cannot listen on {silo}: the address is in use (another okr serve?); choose another with --silo-address HOST:PORT");
    }

    [TestCase]
    [TestCase("keys")]
    public void Command_NothingAfterAGroup_ShowsItsHelp(params string[] args)
    {
        var run = OkrProcess.RunDll(args);

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.StandardError.Should().BeEmpty();
        run.StandardOutput.Should().StartWith("Description:").And.Contain("Usage:").And.Contain(args.Length == 0 ? "validate" : "revoke");
    }

    private static void ShouldBeOneLineUsageError(OkrRun run, string expectedStart)
    {
        run.ExitCode.Should().Be(ExitCodes.Usage, run.ToString());
        run.StandardOutput.Should().BeEmpty(run.ToString());
        var lines = run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle(run.ToString());
        lines[0].Should().StartWith(expectedStart);
    }

    private static TestCaseData Case(string commandLine, string firstLine) => new TestCaseData(commandLine, firstLine).SetArgDisplayNames(commandLine);
}

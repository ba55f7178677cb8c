using AlignmentEngine.Api.V1;
using AlignmentEngine.Cli.Tests.Support;
using AlignmentEngine.Service;
using AlignmentEngine.Service.Hosting;
using AlignmentEngine.Storage.Tests.Support;
using Grpc.Net.Client;

namespace AlignmentEngine.Cli.Tests;

/// <summary>
/// <c>okr report --store --tenant</c> on a SQLite store written by the real service (Kestrel on the loopback, the
/// generated gRPC client), whose clock commits the first version on 2026-10-20 and a check-in on 2026-11-20.
/// </summary>
public sealed partial class ReportTests
{
    private const string Tenant = "acme";

    private static DirectoryInfo? _storeFolder;

    private static string StoreLocation => $"sqlite:{Path.Combine(_storeFolder!.FullName, "alignment.db")}";

    [OneTimeSetUp]
    public static async Task WriteStoreThroughTheService()
    {
        _storeFolder = Directory.CreateTempSubdirectory("okr-report-store-");
        var clock = new ManualClock(new DateTimeOffset(2026, 10, 20, 12, 0, 0, TimeSpan.Zero));
        var host = AlignmentServer.Create(new GrpcServerHostOptions(), options =>
        {
            options.Store = StoreLocation;
            options.Clock = clock;
        });
        await host.StartAsync();
        try
        {
            using var channel = GrpcChannel.ForAddress(host.Addresses[0]);
            var client = new Api.V1.AlignmentService.AlignmentServiceClient(channel);
            var first = new ApplyChangesRequest { Parent = $"tenants/{Tenant}" };
            first.Changes.Add(new GoalChange { UpsertGoal = new Goal { GoalId = "C1", Type = GoalType.Objective, Level = GoalLevel.Company } });
            first.Changes.Add(new GoalChange { UpsertGoal = KeyResult("KR1", 2) });
            first.Changes.Add(new GoalChange { UpsertGoal = KeyResult("KR2", 0) });
            await client.ApplyChangesAsync(first);

            clock.Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
            var checkIn = new ApplyChangesRequest { Parent = $"tenants/{Tenant}" };
            checkIn.Changes.Add(new GoalChange { CheckIn = new CheckIn { GoalId = "KR1", Value = 8 } });
            await client.ApplyChangesAsync(checkIn);
        }
        finally
        {
            await host.DisposeAsync();
        }

        static Goal KeyResult(string id, double current)
        {
            var goal = new Goal { GoalId = id, Type = GoalType.KeyResult, Metric = new Metric { Direction = MetricDirection.Increase, Start = 0, Target = 10, Current = current } };
            goal.Parents.Add(new ParentLink { ParentGoalId = "C1" });
            return goal;
        }
    }

    [OneTimeTearDown]
    public static void RemoveStore() => _storeFolder?.Delete(recursive: true);

    [Test]
    public void Report_FromStore_ShowsTheTrendSinceADateFromTheTenantsHistory()
    {
        var run = OkrProcess.RunDll("report", "--store", StoreLocation, "--tenant", Tenant, "--as-of", "2026-11-20", "--since", "2026-10-25");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.StandardOutput.Should().Contain("since tenant acme at 2026-10-25");
        Row(run.StandardOutput, "KR1").Should().Contain("▲ +60 pts", "KR1 was checked in from 2 to 8 of 10 between the two dates");
        Row(run.StandardOutput, "C1").Should().Contain("▲ +30 pts", "C1 is the mean of KR1 and KR2");
        Row(run.StandardOutput, "KR2").Should().Contain("= 0 pts");
    }

    [Test]
    public void Report_FromStore_LooksBackThirtyDaysByDefault()
    {
        var run = OkrProcess.RunDll("report", "--store", StoreLocation, "--tenant", Tenant, "--as-of", "2026-11-20");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.StandardOutput.Should().Contain("since tenant acme at 2026-10-21");
        Row(run.StandardOutput, "KR1").Should().Contain("▲ +60 pts");
    }

    [Test]
    public void Report_FromStore_BeforeTheTenantExisted_ShowsNoTrend()
    {
        var run = OkrProcess.RunDll("report", "--store", StoreLocation, "--tenant", Tenant, "--as-of", "2026-11-20", "--since", "2026-10-19");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        Row(run.StandardOutput, "KR1").Should().Contain("<span class=\"trend\"></span>", "the tenant had no goals then");
    }

    [TestCase("--tenant nobody", "okr report: --tenant nobody: no such tenant in sqlite:", "(it holds acme)")]
    [TestCase("--tenant acme --since 2026-13-01", "okr report: --since with --store must be a date written YYYY-MM-DD, not '2026-13-01'", "")]
    public void Report_FromStore_BadInput_IsOneLineAndExit2(string arguments, string start, string end)
    {
        var run = OkrProcess.RunDll(["report", "--store", StoreLocation, .. arguments.Split(' ')]);

        run.ExitCode.Should().Be(ExitCodes.Usage, run.ToString());
        run.StandardError.Should().StartWith(start).And.EndWith(end + "\n").And.NotContain("   at ");
        run.StandardOutput.Should().BeEmpty();
    }

    [Test]
    public void Report_FromStore_ThatIsNotThere_IsOneLineAndExit2AndCreatesNothing()
    {
        var missing = Path.Combine(_storeFolder!.FullName, "missing.db");

        var run = OkrProcess.RunDll("report", "--store", $"sqlite:{missing}", "--tenant", Tenant);

        run.ExitCode.Should().Be(ExitCodes.Usage, run.ToString());
        run.StandardError.Should().Be($"okr report: --store sqlite:{missing}: no such SQLite file\n");
        File.Exists(missing).Should().BeFalse();
    }

    [Test]
    public void Report_FromStore_Unreachable_IsOneLineAndExit2WithoutThePassword()
    {
        // A port nothing listens on: taken from the system, then let go.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var run = OkrProcess.RunDll("report", "--store", $"postgres:Host=127.0.0.1;Port={port};Database=okr;Username=okr;Password=secret", "--tenant", Tenant);

        run.ExitCode.Should().Be(ExitCodes.Usage, run.ToString());
        run.StandardError.Should().StartWith($"okr report: --store: postgres:Host=127.0.0.1;Port={port};Database=okr;Username=okr is unavailable: ")
            .And.NotContain("secret").And.NotContain("   at ");
        run.StandardError.TrimEnd('\n').Should().NotContain("\n");
    }
}

using System.Diagnostics;
using AlignmentEngine.ClusterSilo;
using AlignmentEngine.Storage.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// Real silos clustered through our membership schema on the test PostgreSQL server, with the failure detection
/// <c>okr serve --cluster</c> uses by default: they form one cluster, a grain has one activation that every silo
/// reaches, and a silo that is killed is declared dead by the others and its grain activates on a survivor.
/// Each test has its own schema and cluster.
/// </summary>
public sealed class ClusterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private string _connectionString = null!;
    private string _location = null!;
    private readonly List<IHost> _silos = [];

    [SetUp]
    public async Task Migrate()
    {
        _location = TestPostgres.NewSchemaLocation();
        _connectionString = _location["postgres:".Length..];
        await ClusterMembershipSchema.MigrateAsync(_connectionString);
    }

    [TearDown]
    public async Task StopSilos()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Task.WhenAll(_silos.Select(s => s.StopAsync(stopping.Token)));
        foreach (var silo in _silos) silo.Dispose();
    }

    [Test]
    public async Task Silos_FormOneCluster_WhereAGrainHasOneActivationThatEverySiloReaches()
    {
        var silos = await StartSilosAsync("one-cluster", 3);
        foreach (var silo in silos)
        {
            await Eventually.HoldsAsync(async () => (await Management(silo).GetHosts(onlyActive: true)).Count == 3, Deadline, "every silo sees three active members");
        }

        var first = await Grain(silos[0], "tenant-1").LocateAsync();

        first.Silo.Should().Be(Address(silos[0]), "the grain prefers the silo that calls it first");
        (await Grain(silos[1], "tenant-1").LocateAsync()).Should().Be(first);
        (await Grain(silos[2], "tenant-1").LocateAsync()).Should().Be(first);
        (await RawDatabase.CountAsync(_location, "SELECT COUNT(*) FROM cluster_members WHERE deployment_id = 'one-cluster' AND status = 3")).Should().Be(3);
    }

    [Test]
    public async Task SiloKilled_IsDeclaredDeadAndItsGrainActivatesOnASurvivor()
    {
        var silos = await StartSilosAsync("killed", 2);
        using var victim = SiloProcess.Start(_connectionString, "killed", "tenant-k");
        foreach (var silo in silos)
        {
            await Eventually.HoldsAsync(async () => (await TryLocateAsync(silo, "tenant-k"))?.Silo == victim.Address, Deadline,
                "every silo reaches the grain on the silo process");
        }

        victim.Kill();
        var clock = Stopwatch.StartNew();
        Whereabouts? moved = null;
        await Eventually.HoldsAsync(async () => (moved = await TryLocateAsync(silos[0], "tenant-k")) is { } w && w.Silo != victim.Address, Deadline,
            "the killed silo's grain answers again from a survivor");
        var failover = clock.Elapsed;

        silos.Select(Address).Should().Contain(moved!.Silo);
        Whereabouts? fromOther = null;
        await Eventually.HoldsAsync(async () => (fromOther = await TryLocateAsync(silos[1], "tenant-k")) is { } w && w.Silo != victim.Address, Deadline,
            "the other survivor reaches the grain again");
        fromOther.Should().Be(moved, "the survivors agree on the one new activation");
        await Eventually.HoldsAsync(async () => await RawDatabase.CountAsync(_location, $"SELECT status FROM cluster_members WHERE port = {victim.SiloPort}") == 6,
            Deadline, "the survivors declared the killed silo Dead (6) in the membership table");
        TestContext.Progress.WriteLine($"failover after SIGKILL: the grain answered again after {failover.TotalSeconds:F2} s");
    }

    private async Task<IHost[]> StartSilosAsync(string clusterId, int count)
    {
        var silos = Enumerable.Range(0, count)
            .Select(_ => TestSilo.Build(_connectionString, clusterId, SiloProcess.FreePort()))
            .ToArray();
        _silos.AddRange(silos);
        await Task.WhenAll(silos.Select(s => s.StartAsync()));
        return silos;
    }

    /// <summary>Where the grain answers from, through <paramref name="silo"/>; null when the call fails or takes over a second.</summary>
    private static async Task<Whereabouts?> TryLocateAsync(IHost silo, string key)
    {
        try
        {
            return await Grain(silo, key).LocateAsync().WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansException)
        {
            return null;
        }
    }

    private static IWhereaboutsGrain Grain(IHost silo, string key) => silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IWhereaboutsGrain>(key);

    private static IManagementGrain Management(IHost silo) => silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);

    private static string Address(IHost silo) => silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();
}

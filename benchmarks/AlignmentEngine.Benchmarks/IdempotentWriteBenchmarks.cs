using AlignmentEngine.Api.V1;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Storage;
using BenchmarkDotNet.Attributes;
using CoreChange = AlignmentEngine.Core.GoalChange;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// What a request_id (AIP-155) adds to a write's commit on the embedded SQLite store (WAL, synchronous=FULL): its key
/// (the id checked, the request hashed), the lookup of the id in the change log (a miss, as on every first send), and
/// the id, fingerprint and response in the change's log row. On the smallest write, a one-check-in change set, where
/// the share is the largest it gets.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class IdempotentWriteBenchmarks
{
    private const string Tenant = "bench";

    private string _file = null!;
    private IAlignmentStore _store = null!;
    private string _goal = null!;
    private CoreChange[] _change = null!;
    private RecordCheckInsResponse _response = null!;
    private long _version;
    private int _goals;

    [GlobalSetup]
    public async Task Setup()
    {
        _file = Path.Combine(Path.GetTempPath(), $"okr-bench-{Guid.NewGuid():N}.db");
        _store = AlignmentStores.Open("sqlite:" + _file);
        await _store.MigrateAsync();
        var tree = Fixtures.Tree(1_000);
        _goals = tree.Goals.Count;
        await _store.ReplaceAsync(new TreeSnapshot(Tenant, 1, DateTimeOffset.UtcNow, Fixtures.AsOf, tree));
        _version = 1;
        var target = Fixtures.CheckInTargets(tree, Fixtures.Graph(tree))[0];
        _goal = target.Id;
        _change = [Fixtures.CheckInAt(target, 0.5)];

        // The answer of a check-in that moved a key result and the two objectives above it.
        _response = new RecordCheckInsResponse();
        foreach (var id in new[] { target.Id, "O1", "C1" })
        {
            _response.Goals.Add(new GoalDelta
            {
                GoalId = id,
                Before = new GoalSnapshot { Progress = 0.25, Health = Health.AtRisk },
                After = new GoalSnapshot { Progress = 0.5, Health = Health.OnTrack },
            });
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(file);
    }

    private ChangeSet Next() => new(Tenant, ++_version, DateTimeOffset.UtcNow, Fixtures.AsOf, _change, [], [], _goals);

    [Benchmark(Baseline = true, Description = "commit a one-check-in change set")]
    public Task Plain() => _store.AppendAsync(Next());

    [Benchmark(Description = "the same with a request_id: key, lookup, and the id with its response in the log row")]
    public async Task WithRequestId()
    {
        var request = new RecordCheckInsRequest { Parent = $"tenants/{Tenant}", RequestId = Guid.NewGuid().ToString() };
        request.CheckIns.Add(new Api.V1.CheckIn { GoalId = _goal, Value = 50 });
        var key = RequestIds.Key(nameof(Service.AlignmentService.RecordCheckIns), request)!;
        if (await _store.FindRequestAsync(Tenant, key.Id) is not null) throw new InvalidOperationException("a new id was found");
        await _store.AppendAsync(Next() with { Request = key.Answered(_response) });
    }

    [Benchmark(Description = "the lookup alone: an id the log does not hold")]
    public Task<StoredRequest?> LookupMiss() => _store.FindRequestAsync(Tenant, Guid.NewGuid().ToString());
}

using AlignmentEngine.Api.V1;

namespace AlignmentEngine.Soak;

/// <summary>
/// One writer: check-ins, reweights and re-parentings of the key results it owns, chosen at random, until told to
/// stop. It tracks its key results' parents itself, so every change it sends is valid and must be accepted.
/// </summary>
internal sealed class Writer(AlignmentService.AlignmentServiceClient client, Tally tally, SoakTree tree, IReadOnlyList<(string Id, int Department)> owned, int seed)
{
    private readonly Random _random = new(seed);
    private readonly int[] _parents = [.. owned.Select(o => o.Department)];

    /// <summary>The highest version this writer's commits reached.</summary>
    public long LastVersion { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var k = _random.Next(owned.Count);
            var id = owned[k].Id;
            var roll = _random.NextDouble();
            long? version = roll switch
            {
                < 0.5 => (await tally.Time("write: check-in", () => client.RecordCheckInsAsync(CheckIn(id)).ResponseAsync).ConfigureAwait(false))?.Version,
                < 0.8 => (await tally.Time("write: reweight", () => client.ApplyChangesAsync(Reweight(id, k)).ResponseAsync).ConfigureAwait(false))?.Version,
                _ => await ReparentAsync(id, k).ConfigureAwait(false),
            };
            if (version is { } v) LastVersion = Math.Max(LastVersion, v);
        }
    }

    private RecordCheckInsRequest CheckIn(string id)
    {
        var request = new RecordCheckInsRequest { Parent = SoakTree.Parent };
        request.CheckIns.Add(new CheckIn { GoalId = id, Value = Math.Round(_random.NextDouble() * 10, 2) });
        return request;
    }

    private ApplyChangesRequest Reweight(string id, int k)
    {
        var request = new ApplyChangesRequest { Parent = SoakTree.Parent };
        request.Changes.Add(new GoalChange { SetWeight = new SetWeight { GoalId = id, ParentGoalId = SoakTree.Department(_parents[k]), Weight = 0.5 + Math.Round(_random.NextDouble() * 2.5, 2) } });
        return request;
    }

    /// <summary>Moves the key result to another department in one change set: the new edge first, then the old one goes.</summary>
    private async Task<long?> ReparentAsync(string id, int k)
    {
        var from = _parents[k];
        var to = (from + 1 + _random.Next(tree.Departments - 1)) % tree.Departments;
        var request = new ApplyChangesRequest { Parent = SoakTree.Parent };
        request.Changes.Add(new GoalChange { AddEdge = new AddEdge { GoalId = id, Link = new ParentLink { ParentGoalId = SoakTree.Department(to) } } });
        request.Changes.Add(new GoalChange { RemoveEdge = new RemoveEdge { GoalId = id, ParentGoalId = SoakTree.Department(from) } });

        var response = await tally.Time("write: re-parent", () => client.ApplyChangesAsync(request).ResponseAsync).ConfigureAwait(false);

        // Counted as moved only once the server said yes; a refusal leaves the parent as it was.
        if (response is not null) _parents[k] = to;
        return response?.Version;
    }
}

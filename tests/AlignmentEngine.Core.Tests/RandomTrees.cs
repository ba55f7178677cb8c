namespace AlignmentEngine.Core.Tests;

/// <summary>
/// Seeded random goal trees and change sets for the property tests: valid trees (parents always earlier in the
/// list, so acyclic), with every feature mixed in, and change sets that are sometimes invalid on purpose. With
/// <paramref name="hubs"/>, the first goals are wide parents: three goals in four take one of them as first parent
/// (fan-outs of hundreds), hub 1 being a cascaded sum in M$ and the others weighted means.
/// </summary>
internal sealed class RandomTrees(int seed, int hubs = 0)
{
    private static readonly string[] Units = ["M$", "k$", "users"];
    private static readonly string[] Keys = ["arr", "headcount", "nps"];
    private static readonly string[] Owners = ["ceo", "cfo", "ana", "bo"];
    private static readonly Period[] PeriodChoices =
    [
        new(new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31)),
        new(new DateOnly(2026, 7, 1), new DateOnly(2026, 12, 31)),
        new(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)),
        new(new DateOnly(2027, 1, 1), new DateOnly(2027, 3, 31)),
    ];

    private readonly Random _random = new(seed);
    private int _next;

    public GoalTree Tree(int size)
    {
        var goals = new List<GoalDefinition>(size);
        for (var i = 0; i < size; i++) goals.Add(Goal(goals));
        for (var i = 0; i < Math.Min(hubs, size); i++)
        {
            goals[i] = goals[i] with
            {
                Metric = i == 1 ? new Metric(MetricDirection.Increase, 0, 500, null, "M$", null, MetricAggregate.Sum) : null,
                ProgressOverride = null,
                State = GoalState.Active,
            };
        }
        return new GoalTree
        {
            Goals = goals,
            DefaultPeriod = _random.Next(4) == 0 ? null : PeriodRef.Named("Q4"),
            Periods = new Dictionary<string, Period> { ["Q4"] = PeriodChoices[0], ["H2"] = PeriodChoices[1] },
            Settings = new AlignmentSettings(MaxObjectivesPerOwner: 3),
        };
    }

    public GoalDefinition Goal(IReadOnlyList<GoalDefinition> existing)
    {
        var id = $"G{_next++:D4}";
        var parents = new List<ParentLink>();
        var parentCount = existing.Count == 0 ? 0 : _random.Next(10) switch { < 2 => 0, < 8 => 1, 8 => 2, _ => 3 };
        if (hubs > 0 && existing.Count > hubs && parentCount > 0 && _random.Next(4) > 0) parents.Add(new ParentLink(existing[_random.Next(hubs)].Id, Weight(), _random.Next(8) != 0));
        for (var k = parents.Count; k < parentCount; k++)
        {
            var parent = existing[_random.Next(existing.Count)].Id;
            if (parents.All(p => p.ParentId != parent)) parents.Add(new ParentLink(parent, Weight(), _random.Next(8) != 0));
        }

        return new GoalDefinition(id, _random.Next(2) == 0 ? GoalType.Objective : GoalType.KeyResult)
        {
            Level = _random.Next(3) == 0 ? (GoalLevel)_random.Next(4) : parents.Count == 0 && _random.Next(3) > 0 ? GoalLevel.Company : null,
            Owner = _random.Next(3) == 0 ? null : Owners[_random.Next(Owners.Length)],
            State = _random.Next(10) switch { 0 => GoalState.Archived, 1 => GoalState.Draft, 2 => GoalState.Paused, 3 => GoalState.Completed, _ => GoalState.Active },
            Period = _random.Next(5) switch { 0 => PeriodRef.Of(PeriodChoices[_random.Next(PeriodChoices.Length)]), 1 => PeriodRef.Named("H2"), _ => null },
            Metric = _random.Next(3) == 0 ? null : Metric(),
            ProgressOverride = _random.Next(15) == 0 ? Math.Round(_random.NextDouble(), 2) : null,
            Parents = parents,
        };
    }

    public Metric Metric()
    {
        var unit = _random.Next(4) == 0 ? null : Units[_random.Next(Units.Length)];
        var key = _random.Next(4) == 0 ? Keys[_random.Next(Keys.Length)] : null;
        var start = _random.Next(0, 50);
        var aggregate = _random.Next(4) == 0;
        return _random.Next(5) switch
        {
            0 => new Metric(MetricDirection.Increase, start, start + _random.Next(1, 50), aggregate ? null : Current(start, 60), unit, key, aggregate ? MetricAggregate.Sum : MetricAggregate.None),
            1 => new Metric(MetricDirection.Decrease, start + 50, start + _random.Next(0, 49), aggregate ? null : Current(start, 100), unit, key, aggregate ? MetricAggregate.Sum : MetricAggregate.None),
            2 => new Metric(MetricDirection.AtLeast, start, _random.Next(0, 100), aggregate ? null : Current(0, 100), unit, key, aggregate ? MetricAggregate.Sum : MetricAggregate.None),
            3 => new Metric(MetricDirection.AtMost, start, _random.Next(0, 100), aggregate ? null : Current(0, 100), unit, key),
            _ => new Metric(MetricDirection.Milestone, Current: _random.Next(3) switch { 0 => null, 1 => 0, _ => 1 }, Unit: unit),
        };
    }

    /// <summary>One random operation against <paramref name="graph"/>; about one in six is meant to be refused.</summary>
    public GoalChange Change(AlignmentGraph graph)
    {
        var ids = graph.AllIds;
        string Any() => ids[_random.Next(ids.Count)];
        var id = Any();
        var goal = graph.GetDefinition(id)!;
        switch (_random.Next(12))
        {
            case 0:
                return new CheckIn(id, goal.Metric?.Direction == MetricDirection.Milestone ? _random.Next(2) : _random.Next(-10, 120));
            case 1:
                return new SetState(id, (GoalState)_random.Next(6));
            case 2 when goal.Parents.Count > 0:
                return new SetWeight(id, goal.Parents[_random.Next(goal.Parents.Count)].ParentId, _random.Next(12) == 0 ? 0 : Weight());
            case 3:
                return new AddEdge(id, new ParentLink(Any(), Weight(), _random.Next(6) != 0)); // may close a cycle
            case 4 when goal.Parents.Count > 0:
                return new RemoveEdge(id, goal.Parents[_random.Next(goal.Parents.Count)].ParentId);
            case 5:
                return new SetOverride(id, _random.Next(3) == 0 ? null : Math.Round(_random.NextDouble() * 1.1, 2));
            case 6:
                return new RemoveGoal(id); // refused while other goals align to it
            case 7:
                return new UpsertGoal(Goal([.. ids.Select(graph.GetDefinition).OfType<GoalDefinition>()]));
            case 8:
                return new UpsertGoal(goal with { Metric = _random.Next(3) == 0 ? null : Metric(), Owner = Owners[_random.Next(Owners.Length)] });
            case 9:
                return new UpsertGoal(goal with { Parents = [new ParentLink(Any())], Level = _random.Next(2) == 0 ? null : (GoalLevel)_random.Next(4) });
            case 10:
                return new CheckIn("missing-" + id, 1);
            default:
                return new CheckIn(id, _random.Next(0, 100));
        }
    }

    public IReadOnlyList<GoalChange> ChangeSet(AlignmentGraph graph) =>
        [.. Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Change(graph))];

    private double Weight() => _random.Next(4) == 0 ? Math.Round(0.5 + (_random.NextDouble() * 3), 2) : 1;

    private double? Current(int low, int high) => _random.Next(4) == 0 ? null : _random.Next(low, high);
}

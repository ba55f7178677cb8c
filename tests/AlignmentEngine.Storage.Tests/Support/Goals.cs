using AlignmentEngine.Core;

namespace AlignmentEngine.Storage.Tests.Support;

/// <summary>Core goal definitions for store tests, with every field a store must keep.</summary>
internal static class Goals
{
    public static GoalDefinition Company(string id) =>
        new(id, GoalType.Objective) { Level = GoalLevel.Company, Title = $"Company {id}", Owner = "ceo", Tags = ["north-star", "2026"], Period = PeriodRef.Named("2026") };

    /// <summary>A company objective with its own dates, for tenants that declare no periods.</summary>
    public static GoalDefinition Objective(string id) =>
        new(id, GoalType.Objective) { Level = GoalLevel.Company, Period = PeriodRef.Of(new Period(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31))) };

    public static GoalDefinition KeyResult(string id, double current, params ParentLink[] parents) =>
        new(id, GoalType.KeyResult)
        {
            Owner = "team",
            Metric = new Metric(MetricDirection.Increase, 0, 100, current, "%", $"key.{id}"),
            Period = PeriodRef.Of(new Period(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31))),
            Parents = parents,
        };

    public static GoalTree Tree(params GoalDefinition[] goals) => new()
    {
        Goals = goals,
        Periods = new Dictionary<string, Period>(StringComparer.Ordinal) { ["2026"] = new(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)) },
        DefaultPeriod = PeriodRef.Named("2026"),
        Settings = new AlignmentSettings(0.05, 0.2, 7),
    };

    /// <summary>A company objective with <paramref name="keyResults"/> key results under it.</summary>
    public static GoalTree Company(int keyResults) => Tree(
        [Company("C1"), .. Enumerable.Range(1, keyResults).Select(k => KeyResult($"KR{k:D7}", k % 100, new ParentLink("C1", 1 + (k % 3))))]);
}

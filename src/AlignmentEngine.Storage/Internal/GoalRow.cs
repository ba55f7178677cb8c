using System.Text.Json;
using AlignmentEngine.Core;

namespace AlignmentEngine.Storage.Internal;

/// <summary>One row of the goals table: written from a definition (Dapper parameters, COPY values), read back into one.</summary>
internal sealed class GoalRow
{
    public string Tenant { get; set; } = string.Empty;
    public string GoalId { get; set; } = string.Empty;
    public string Type { get; set; } = string.Empty;
    public string? Level { get; set; }
    public string? Title { get; set; }
    public string? Owner { get; set; }
    public string? Tags { get; set; }
    public string State { get; set; } = string.Empty;
    public long? PeriodStart { get; set; }
    public long? PeriodEnd { get; set; }
    public string? PeriodName { get; set; }
    public string? MetricDirection { get; set; }
    public double? MetricStart { get; set; }
    public double? MetricTarget { get; set; }
    public double? MetricCurrent { get; set; }
    public string? MetricUnit { get; set; }
    public string? MetricKey { get; set; }
    public string? MetricAggregate { get; set; }
    public double? ProgressOverride { get; set; }

    /// <summary>The table's columns after tenant, in insert order.</summary>
    public static readonly string[] Columns =
    [
        "goal_id", "type", "level", "title", "owner", "tags", "state", "period_start", "period_end", "period_name",
        "metric_direction", "metric_start", "metric_target", "metric_current", "metric_unit", "metric_key", "metric_aggregate",
        "progress_override",
    ];

    /// <summary>The row's values in <see cref="Columns"/> order (null for SQL NULL).</summary>
    public object?[] Values() =>
    [
        GoalId, Type, Level, Title, Owner, Tags, State, PeriodStart, PeriodEnd, PeriodName, MetricDirection, MetricStart,
        MetricTarget, MetricCurrent, MetricUnit, MetricKey, MetricAggregate, ProgressOverride,
    ];

    public static GoalRow From(string tenant, GoalDefinition goal) => new()
    {
        Tenant = tenant,
        GoalId = goal.Id,
        Type = goal.Type.ToString(),
        Level = goal.Level?.ToString(),
        Title = goal.Title,
        Owner = goal.Owner,
        Tags = goal.Tags.Count == 0 ? null : JsonSerializer.Serialize(goal.Tags, StorageJsonContext.Default.IReadOnlyListString),
        State = goal.State.ToString(),
        PeriodStart = goal.Period?.Range?.Start.DayNumber,
        PeriodEnd = goal.Period?.Range?.End.DayNumber,
        PeriodName = goal.Period?.Name,
        MetricDirection = goal.Metric?.Direction.ToString(),
        MetricStart = goal.Metric?.Start,
        MetricTarget = goal.Metric?.Target,
        MetricCurrent = goal.Metric?.Current,
        MetricUnit = goal.Metric?.Unit,
        MetricKey = goal.Metric?.Key,
        MetricAggregate = goal.Metric?.Aggregate.ToString(),
        ProgressOverride = goal.ProgressOverride,
    };

    /// <summary>The definition in the reader's current row, selected as <see cref="Columns"/> in order.</summary>
    public static GoalDefinition Read(System.Data.Common.DbDataReader r, IReadOnlyList<ParentLink> parents)
    {
        string? Text(int k) => r.IsDBNull(k) ? null : r.GetString(k);
        double? Number(int k) => r.IsDBNull(k) ? null : r.GetDouble(k);
        long? Integer(int k) => r.IsDBNull(k) ? null : r.GetInt64(k);
        return new GoalRow
        {
            GoalId = r.GetString(0),
            Type = r.GetString(1),
            Level = Text(2),
            Title = Text(3),
            Owner = Text(4),
            Tags = Text(5),
            State = r.GetString(6),
            PeriodStart = Integer(7),
            PeriodEnd = Integer(8),
            PeriodName = Text(9),
            MetricDirection = Text(10),
            MetricStart = Number(11),
            MetricTarget = Number(12),
            MetricCurrent = Number(13),
            MetricUnit = Text(14),
            MetricKey = Text(15),
            MetricAggregate = Text(16),
            ProgressOverride = Number(17),
        }.ToDefinition(parents);
    }

    /// <summary>The definition this row and its alignment rows describe.</summary>
    public GoalDefinition ToDefinition(IReadOnlyList<ParentLink> parents) => new(GoalId, EnumNames<GoalType>.Parse(Type))
    {
        Level = Level is null ? null : EnumNames<GoalLevel>.Parse(Level),
        Title = Title,
        Owner = Owner,
        Tags = Tags is null ? [] : JsonSerializer.Deserialize(Tags, StorageJsonContext.Default.IReadOnlyListString) ?? [],
        State = EnumNames<GoalState>.Parse(State),
        Period = PeriodName is not null
            ? PeriodRef.Named(PeriodName)
            : PeriodStart is { } start && PeriodEnd is { } end ? PeriodRef.Of(new Period(DateOnly.FromDayNumber(checked((int)start)), DateOnly.FromDayNumber(checked((int)end)))) : null,
        Metric = MetricDirection is null
            ? null
            : new Metric(EnumNames<MetricDirection>.Parse(MetricDirection), MetricStart ?? 0, MetricTarget, MetricCurrent, MetricUnit, MetricKey,
                MetricAggregate is null ? Core.MetricAggregate.None : EnumNames<MetricAggregate>.Parse(MetricAggregate)),
        ProgressOverride = ProgressOverride,
        Parents = parents,
    };
}

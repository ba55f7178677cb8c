using AlignmentEngine.Core;
using AlignmentEngine.Api.V1;
using CoreChange = AlignmentEngine.Core.GoalChange;
using CoreMetric = AlignmentEngine.Core.Metric;
using CorePeriod = AlignmentEngine.Core.Period;
using CorePeriodRef = AlignmentEngine.Core.PeriodRef;

namespace AlignmentEngine.Service.Mapping;

/// <summary>
/// Protobuf requests into core values. Shape problems (a missing required field, an unspecified enum, an
/// impossible date, a malformed id, a string over its limit) and, in changes, values wrong whatever the tenant holds
/// (<see cref="ValueChecks"/>) become field violations here: INVALID_ARGUMENT. Problems of the tenant's state (a
/// cycle, an unknown parent) pass through to the core, which reports them as error findings: FAILED_PRECONDITION.
/// </summary>
internal static class ToCore
{
    public static GoalDefinition Goal(Api.V1.Goal goal, string field, FieldViolations violations)
    {
        GoalId(goal.GoalId, field + ".goal_id", violations);
        ValueChecks.Strings(goal, field, violations);
        var type = goal.Type switch
        {
            Api.V1.GoalType.Objective => Core.GoalType.Objective,
            Api.V1.GoalType.KeyResult => Core.GoalType.KeyResult,
            _ => Violation<Core.GoalType>(violations, field + ".type", "required: GOAL_TYPE_OBJECTIVE or GOAL_TYPE_KEY_RESULT"),
        };
        var parents = new List<Core.ParentLink>(goal.Parents.Count);
        for (var k = 0; k < goal.Parents.Count; k++) parents.Add(Link(goal.Parents[k], $"{field}.parents[{k}]", violations));
        return new GoalDefinition(goal.GoalId, type)
        {
            Level = Level(goal.Level),
            Title = Empty(goal.Title),
            Owner = Empty(goal.Owner),
            Tags = [.. goal.Tags],
            State = goal.State == Api.V1.GoalState.Unspecified ? Core.GoalState.Active : State(goal.State, field + ".state", violations),
            Period = goal.Period is null ? null : PeriodRef(goal.Period, field + ".period", violations),
            Metric = goal.Metric is null ? null : Metric(goal.Metric, field + ".metric", violations),
            ProgressOverride = goal.HasProgressOverride ? goal.ProgressOverride : null,
            Parents = parents,
        };
    }

    public static Core.ParentLink Link(Api.V1.ParentLink link, string field, FieldViolations violations)
    {
        GoalId(link.ParentGoalId, field + ".parent_goal_id", violations);
        return new Core.ParentLink(link.ParentGoalId, link.HasWeight ? link.Weight : 1, !link.HasContributes || link.Contributes);
    }

    public static CoreMetric Metric(Api.V1.Metric metric, string field, FieldViolations violations)
    {
        var direction = metric.Direction switch
        {
            Api.V1.MetricDirection.Increase => Core.MetricDirection.Increase,
            Api.V1.MetricDirection.Decrease => Core.MetricDirection.Decrease,
            Api.V1.MetricDirection.AtLeast => Core.MetricDirection.AtLeast,
            Api.V1.MetricDirection.AtMost => Core.MetricDirection.AtMost,
            Api.V1.MetricDirection.Milestone => Core.MetricDirection.Milestone,
            _ => Violation<Core.MetricDirection>(violations, field + ".direction", "required: one of METRIC_DIRECTION_INCREASE, _DECREASE, _AT_LEAST, _AT_MOST, _MILESTONE"),
        };
        return new CoreMetric(
            direction,
            metric.Start,
            metric.HasTarget ? metric.Target : null,
            metric.HasCurrent ? metric.Current : null,
            Empty(metric.Unit),
            Empty(metric.Key),
            metric.Aggregate == Api.V1.MetricAggregate.Sum ? Core.MetricAggregate.Sum : Core.MetricAggregate.None);
    }

    public static CorePeriodRef? PeriodRef(Api.V1.PeriodRef period, string field, FieldViolations violations)
    {
        switch (period.KindCase)
        {
            case Api.V1.PeriodRef.KindOneofCase.Name when period.Name.Length > 0:
                return CorePeriodRef.Named(period.Name);
            case Api.V1.PeriodRef.KindOneofCase.Range:
                return Dates.FromProto(period.Range, field + ".range", violations) is { } range ? CorePeriodRef.Of(range) : null;
            default:
                violations.Add(field, "set either range or a non-empty name");
                return null;
        }
    }

    public static CoreChange Change(Api.V1.GoalChange change, string field, FieldViolations violations)
    {
        switch (change.OperationCase)
        {
            case Api.V1.GoalChange.OperationOneofCase.UpsertGoal:
                ValueChecks.Goal(change.UpsertGoal, field + ".upsert_goal", violations);
                return new UpsertGoal(Goal(change.UpsertGoal, field + ".upsert_goal", violations));
            case Api.V1.GoalChange.OperationOneofCase.RemoveGoal:
                return new Core.RemoveGoal(GoalId(change.RemoveGoal.GoalId, field + ".remove_goal.goal_id", violations));
            case Api.V1.GoalChange.OperationOneofCase.SetState:
                return new Core.SetState(
                    GoalId(change.SetState.GoalId, field + ".set_state.goal_id", violations),
                    State(change.SetState.State, field + ".set_state.state", violations));
            case Api.V1.GoalChange.OperationOneofCase.AddEdge:
                if (change.AddEdge.Link is null) violations.Add(field + ".add_edge.link", "required");
                else ValueChecks.Link(change.AddEdge.Link, field + ".add_edge.link", violations);
                return new Core.AddEdge(
                    GoalId(change.AddEdge.GoalId, field + ".add_edge.goal_id", violations),
                    Link(change.AddEdge.Link ?? new Api.V1.ParentLink(), field + ".add_edge.link", violations));
            case Api.V1.GoalChange.OperationOneofCase.RemoveEdge:
                return new Core.RemoveEdge(
                    GoalId(change.RemoveEdge.GoalId, field + ".remove_edge.goal_id", violations),
                    GoalId(change.RemoveEdge.ParentGoalId, field + ".remove_edge.parent_goal_id", violations));
            case Api.V1.GoalChange.OperationOneofCase.SetWeight:
                ValueChecks.Weight(change.SetWeight.Weight, field + ".set_weight.weight", violations);
                return new Core.SetWeight(
                    GoalId(change.SetWeight.GoalId, field + ".set_weight.goal_id", violations),
                    GoalId(change.SetWeight.ParentGoalId, field + ".set_weight.parent_goal_id", violations),
                    change.SetWeight.Weight);
            case Api.V1.GoalChange.OperationOneofCase.CheckIn:
                return CheckIn(change.CheckIn, field + ".check_in", violations);
            case Api.V1.GoalChange.OperationOneofCase.SetOverride:
                if (change.SetOverride.HasProgressOverride) ValueChecks.Override(change.SetOverride.ProgressOverride, field + ".set_override.progress_override", violations);
                return new Core.SetOverride(
                    GoalId(change.SetOverride.GoalId, field + ".set_override.goal_id", violations),
                    change.SetOverride.HasProgressOverride ? change.SetOverride.ProgressOverride : null);
            default:
                violations.Add(field, "set one operation");
                return new Core.RemoveGoal(string.Empty);
        }
    }

    public static Core.CheckIn CheckIn(Api.V1.CheckIn checkIn, string field, FieldViolations violations)
    {
        if (checkIn.HasConfidence && !(checkIn.Confidence >= 0 && checkIn.Confidence <= 1))
        {
            violations.Add(field + ".confidence", "must be in [0, 1]");
        }

        ValueChecks.Finite(checkIn.Value, field + ".value", violations);

        return new Core.CheckIn(
            GoalId(checkIn.GoalId, field + ".goal_id", violations),
            checkIn.Value,
            checkIn.CheckInTime?.ToDateTimeOffset(),
            checkIn.HasConfidence ? checkIn.Confidence : null);
    }

    /// <summary>A whole tree: settings, periods, as_of and goals.</summary>
    public static Core.GoalTree Tree(TreeSettings? settings, IEnumerable<Api.V1.Goal> goals, Google.Type.Date? asOf, string field, FieldViolations violations)
    {
        var periods = new Dictionary<string, CorePeriod>(StringComparer.Ordinal);
        var list = new List<GoalDefinition>();
        var k = 0;
        foreach (var goal in goals) list.Add(Goal(goal, $"{field}goals[{k++}]", violations));
        var defaults = AlignmentSettings.Default;
        if (settings is not null)
        {
            for (var p = 0; p < settings.Periods.Count; p++)
            {
                var named = settings.Periods[p];
                var at = $"{field}settings.periods[{p}]";
                if (named.Name.Length == 0) violations.Add(at + ".name", "required");
                if (named.Period is null) violations.Add(at + ".period", "required");
                if (Dates.FromProto(named.Period, at + ".period", violations) is { } range && !periods.TryAdd(named.Name, range))
                {
                    violations.Add(at + ".name", $"period '{named.Name}' is declared twice");
                }
            }

            defaults = new AlignmentSettings(
                settings.HasOnTrackTolerance ? settings.OnTrackTolerance : defaults.OnTrackTolerance,
                settings.HasAtRiskTolerance ? settings.AtRiskTolerance : defaults.AtRiskTolerance,
                settings.HasMaxObjectivesPerOwner ? settings.MaxObjectivesPerOwner : defaults.MaxObjectivesPerOwner);
        }

        return new Core.GoalTree
        {
            Goals = list,
            Periods = periods,
            DefaultPeriod = settings?.DefaultPeriod is { } d ? PeriodRef(d, field + "settings.default_period", violations) : null,
            Settings = defaults,
            AsOf = Dates.FromProto(asOf, field + "as_of", violations),
        };
    }

    public static Core.GoalLevel? Level(Api.V1.GoalLevel level) => level switch
    {
        Api.V1.GoalLevel.Company => Core.GoalLevel.Company,
        Api.V1.GoalLevel.Department => Core.GoalLevel.Department,
        Api.V1.GoalLevel.Team => Core.GoalLevel.Team,
        Api.V1.GoalLevel.Individual => Core.GoalLevel.Individual,
        _ => null,
    };

    public static Core.GoalState State(Api.V1.GoalState state, string field, FieldViolations violations) => state switch
    {
        Api.V1.GoalState.Draft => Core.GoalState.Draft,
        Api.V1.GoalState.Active => Core.GoalState.Active,
        Api.V1.GoalState.Paused => Core.GoalState.Paused,
        Api.V1.GoalState.Completed => Core.GoalState.Completed,
        Api.V1.GoalState.Archived => Core.GoalState.Archived,
        Api.V1.GoalState.Cancelled => Core.GoalState.Cancelled,
        _ => Violation<Core.GoalState>(violations, field, "required: a GOAL_STATE_ value"),
    };

    public static Core.Health? Health(Api.V1.Health health) =>
        health == Api.V1.Health.Unspecified ? null : (Core.Health)((int)health - 1);

    public static string GoalId(string id, string field, FieldViolations violations)
    {
        if (GoalIds.Problem(id) is { } problem) violations.Add(field, problem);
        return id;
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;

    private static T Violation<T>(FieldViolations violations, string field, string description)
    {
        violations.Add(field, description);
        return default!;
    }
}

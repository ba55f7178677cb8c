using AlignmentEngine.Api.V1;
using AlignmentEngine.Core;

namespace AlignmentEngine.Service.Mapping;

/// <summary>Core values into protobuf messages.</summary>
internal static class ToProto
{
    public static Api.V1.Goal Goal(string tenant, GoalDefinition goal, GoalResult? status)
    {
        var message = new Api.V1.Goal
        {
            Name = ResourceNames.Goal(tenant, goal.Id),
            GoalId = goal.Id,
            Type = goal.Type == Core.GoalType.Objective ? Api.V1.GoalType.Objective : Api.V1.GoalType.KeyResult,
            Level = Level(goal.Level),
            Title = goal.Title ?? string.Empty,
            Owner = goal.Owner ?? string.Empty,
            State = (Api.V1.GoalState)((int)goal.State + 1),
            Period = goal.Period is { } p ? PeriodRef(p) : null,
            Metric = goal.Metric is { } m ? Metric(m) : null,
            Status = status is null ? null : Status(status),
        };
        message.Tags.AddRange(goal.Tags);
        if (goal.ProgressOverride is { } o) message.ProgressOverride = o;
        foreach (var link in goal.Parents)
        {
            message.Parents.Add(new Api.V1.ParentLink { ParentGoalId = link.ParentId, Weight = link.Weight, Contributes = link.Contributes });
        }

        return message;
    }

    public static Api.V1.PeriodRef PeriodRef(Core.PeriodRef period) =>
        period.Name is { } name ? new Api.V1.PeriodRef { Name = name } : new Api.V1.PeriodRef { Range = Dates.ToProto(period.Range!.Value) };

    public static Api.V1.Metric Metric(Core.Metric metric)
    {
        var message = new Api.V1.Metric
        {
            Direction = (Api.V1.MetricDirection)((int)metric.Direction + 1),
            Start = metric.Start,
            Unit = metric.Unit ?? string.Empty,
            Key = metric.Key ?? string.Empty,
            Aggregate = metric.Aggregates ? Api.V1.MetricAggregate.Sum : Api.V1.MetricAggregate.Unspecified,
        };
        if (metric.Target is { } t) message.Target = t;
        if (metric.Current is { } c) message.Current = c;
        return message;
    }

    public static GoalStatus Status(GoalResult result)
    {
        var status = new GoalStatus
        {
            GoalId = result.Id,
            Progress = result.Progress,
            Attainment = result.Attainment,
            Health = Health(result.Health),
            Counted = result.Counted,
            Level = Level(result.Level),
            Period = result.Period is { } p ? Dates.ToProto(p) : null,
        };
        if (result.Expected is { } e) status.Expected = e;
        return status;
    }

    public static Api.V1.Health Health(Core.Health health) => (Api.V1.Health)((int)health + 1);

    public static Api.V1.GoalLevel Level(Core.GoalLevel? level) =>
        level is { } l ? (Api.V1.GoalLevel)((int)l + 1) : Api.V1.GoalLevel.Unspecified;

    public static Api.V1.Finding Finding(Core.Finding finding)
    {
        var message = new Api.V1.Finding
        {
            Code = (Api.V1.FindingCode)((int)finding.Code + 1),
            Severity = (Api.V1.Severity)((int)finding.Severity + 1),
            GoalId = finding.Goal,
            Message = finding.Message,
        };
        message.RelatedGoalIds.AddRange(finding.Related);
        return message;
    }

    /// <summary>How many entries an outcome lists of each kind when the request leaves <c>max_listed</c> unset.</summary>
    /// <remarks>About 1.5 MB of findings at most, well inside a client's default 4 MiB receive limit.</remarks>
    public const int DefaultMaxListed = 10_000;

    public static ChangeOutcome Outcome(Core.ChangeResult result, int maxListed) =>
        Outcome(result.Goals, result.FindingsAppeared, result.FindingsDisappeared, maxListed);

    /// <summary>What a change did as the API returns it: the first <paramref name="maxListed"/> entries of each list, complete totals.</summary>
    public static ChangeOutcome Outcome(IReadOnlyList<Core.GoalDelta> goals, IReadOnlyList<Core.Finding> appeared, IReadOnlyList<Core.Finding> disappeared, int maxListed)
    {
        var outcome = new ChangeOutcome
        {
            GoalsTotal = goals.Count,
            Truncated = goals.Count > maxListed || appeared.Count > maxListed || disappeared.Count > maxListed,
        };
        outcome.Goals.AddRange(goals.Take(maxListed).Select(Delta));
        outcome.FindingsAppeared.AddRange(appeared.Take(maxListed).Select(Finding));
        outcome.FindingsDisappeared.AddRange(disappeared.Take(maxListed).Select(Finding));
        outcome.AppearedCounts.AddRange(Counts(appeared));
        outcome.DisappearedCounts.AddRange(Counts(disappeared));
        return outcome;
    }

    private static IEnumerable<FindingCount> Counts(IReadOnlyList<Core.Finding> findings) =>
        FindingCounts.ByCode(findings).Select(c => new FindingCount { Code = (Api.V1.FindingCode)((int)c.Code + 1), Count = c.Count });

    public static Api.V1.GoalDelta Delta(Core.GoalDelta delta) => new()
    {
        GoalId = delta.Id,
        Before = delta.Before is { } b ? new Api.V1.GoalSnapshot { Progress = b.Progress, Health = Health(b.Health) } : null,
        After = delta.After is { } a ? new Api.V1.GoalSnapshot { Progress = a.Progress, Health = Health(a.Health) } : null,
    };

    public static TreeSettings Settings(Core.GoalTree tree)
    {
        var settings = new TreeSettings
        {
            DefaultPeriod = tree.DefaultPeriod is { } d ? PeriodRef(d) : null,
            OnTrackTolerance = tree.Settings.OnTrackTolerance,
            AtRiskTolerance = tree.Settings.AtRiskTolerance,
            MaxObjectivesPerOwner = tree.Settings.MaxObjectivesPerOwner,
        };
        foreach (var (name, period) in tree.Periods.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            settings.Periods.Add(new NamedPeriod { Name = name, Period = Dates.ToProto(period) });
        }

        return settings;
    }

    public static Coverage Coverage(CoverageFigures figures) =>
        new() { Counted = figures.Counted, Anchored = figures.Anchored, Ratio = figures.Ratio };
}

using AlignmentEngine.Core;
using YamlDotNet.Core.Events;

namespace AlignmentEngine.GoalFiles.Internal;

/// <summary>Goals, their metrics and their parent entries.</summary>
internal sealed partial class GoalFileParser
{
    private static readonly KeySchema GoalKeys = new(
        "goal", "id", "type", "level", "title", "owner", "tags", "state", "period", "metric", "progress_override", "parents");

    private static readonly KeySchema MetricKeys = new(
        "metric", "direction", "start", "target", "current", "done", "unit", "key", "aggregate");

    private static readonly KeySchema ParentKeys = new("parents entry", "id", "weight", "contributes");

    private void ReadGoals(Scalar key, List<GoalDefinition> goals, List<SourcePosition> positions)
    {
        if (SkipNull()) return;
        var start = Next();
        if (start is not SequenceStart) throw Error(start, $"'{key.Value}' must be a list of goals, not {Describe(start)}");
        while (Peek() is not SequenceEnd)
        {
            positions.Add(PositionOf(Peek()));
            goals.Add(ReadGoal());
        }

        Next();
    }

    private GoalDefinition ReadGoal()
    {
        var start = BeginMapping("each goal");
        string? id = null;
        GoalType? type = null;
        GoalLevel? level = null;
        GoalState? state = null;
        string? title = null, owner = null;
        List<string>? tags = null;
        PeriodRef? period = null;
        Metric? metric = null;
        double? progressOverride = null;
        List<ParentLink>? parents = null;
        uint seen = 0;
        while (NextKey(GoalKeys, ref seen, out var key))
        {
            switch (key.Value)
            {
                case "id":
                    id = ReadId(key);
                    break;
                case "type":
                    type = ReadEnum<GoalType>(key);
                    break;
                case "level":
                    level = ReadEnum<GoalLevel>(key);
                    break;
                case "title":
                    title = ReadText(key);
                    break;
                case "owner":
                    owner = ReadText(key);
                    break;
                case "tags":
                    tags = ReadTextList(key);
                    break;
                case "state":
                    state = ReadEnum<GoalState>(key);
                    break;
                case "period":
                    period = ReadPeriodRef(key);
                    break;
                case "metric":
                    metric = ReadMetric(key);
                    break;
                case "progress_override":
                    // Outside [0, 1] or not finite is the core's INVALID_METRIC.
                    progressOverride = ReadNumber(key);
                    break;
                default:
                    parents = ReadParents(key);
                    break;
            }
        }

        if (id is null) throw Error(start, "a goal needs an 'id'");
        if (type is null)
        {
            throw Error(start, $"goal '{Shorten(id)}' needs a 'type' (one of: {string.Join(", ", SpecNames.NamesOf<GoalType>())})");
        }

        return new GoalDefinition(id, type.Value)
        {
            Level = level,
            Title = title,
            Owner = owner,
            Tags = tags ?? [],
            State = state ?? GoalState.Active,
            Period = period,
            Metric = metric,
            ProgressOverride = progressOverride,
            Parents = parents ?? [],
        };
    }

    /// <summary>
    /// Ids follow semantics.md (1 to 128 characters, no control characters). No finding covers a malformed id:
    /// the edges refuse it, and here the file position can be given.
    /// </summary>
    private string? ReadId(Scalar key)
    {
        var valueEvent = Peek();
        var id = ReadText(key);
        if (id is not null && GoalIds.Problem(id) is { } problem) throw Error(valueEvent, problem);
        return id;
    }

    private Metric? ReadMetric(Scalar key)
    {
        if (SkipNull()) return null;
        var start = BeginMapping($"'{key.Value}'");
        MetricDirection? direction = null;
        MetricAggregate? aggregate = null;
        double? from = null, target = null, current = null;
        bool? done = null;
        Scalar? doneKey = null, currentKey = null;
        string? unit = null, metricKey = null;
        uint seen = 0;
        while (NextKey(MetricKeys, ref seen, out var field))
        {
            switch (field.Value)
            {
                case "direction":
                    direction = ReadEnum<MetricDirection>(field);
                    break;
                case "start":
                    from = ReadNumber(field);
                    break;
                case "target":
                    target = ReadNumber(field);
                    break;
                case "current":
                    currentKey = field;
                    current = ReadNumber(field);
                    break;
                case "done":
                    doneKey = field;
                    done = ReadBoolean(field);
                    break;
                case "unit":
                    unit = ReadText(field);
                    break;
                case "key":
                    metricKey = ReadText(field);
                    break;
                default:
                    aggregate = ReadEnum<MetricAggregate>(field);
                    break;
            }
        }

        if (direction is null)
        {
            throw Error(start, $"a metric needs a 'direction' (one of: {string.Join(", ", SpecNames.NamesOf<MetricDirection>())})");
        }

        if (doneKey is not null)
        {
            // 'done' is the milestone spelling of current (done = 1, not done = 0); anywhere else it is a mistake.
            if (direction != MetricDirection.Milestone)
            {
                throw Error(doneKey, $"'done' is only for milestone metrics; a metric with direction {direction.Value.Name()} takes 'current'");
            }

            if (currentKey is not null)
            {
                var later = doneKey.Start.Index > currentKey.Start.Index ? doneKey : currentKey;
                throw Error(later, "a milestone metric takes 'done' or 'current', not both");
            }

            current = done switch { true => 1, false => 0, null => null };
        }

        return new Metric(direction.Value, from ?? 0, target, current, unit, metricKey, aggregate ?? MetricAggregate.None);
    }

    private List<ParentLink> ReadParents(Scalar key)
    {
        var parents = new List<ParentLink>();
        if (SkipNull()) return parents;
        var start = Next();
        if (start is not SequenceStart) throw Error(start, $"'{key.Value}' must be a list, not {Describe(start)}");
        while (Peek() is not SequenceEnd)
        {
            parents.Add(Peek() is MappingStart ? ReadParentEntry() : ReadParentId(key));
        }

        Next();
        return parents;
    }

    /// <summary>The short form: an id alone, weight 1, contributing.</summary>
    private ParentLink ReadParentId(Scalar key)
    {
        var value = Next();
        if (value is not Scalar id || YamlScalars.IsNull(id))
        {
            throw Error(value, $"'{key.Value}' entries must be a goal id or a mapping with 'id', not {Describe(value)}");
        }

        // An id that names no goal is the core's UNKNOWN_PARENT.
        return new ParentLink(id.Value);
    }

    private ParentLink ReadParentEntry()
    {
        var start = BeginMapping("a parents entry");
        string? id = null;
        double? weight = null;
        bool? contributes = null;
        uint seen = 0;
        while (NextKey(ParentKeys, ref seen, out var key))
        {
            switch (key.Value)
            {
                case "id":
                    id = ReadText(key);
                    break;
                case "weight":
                    // Zero, negative or not finite is the core's INVALID_WEIGHT.
                    weight = ReadNumber(key);
                    break;
                default:
                    contributes = ReadBoolean(key);
                    break;
            }
        }

        if (id is null) throw Error(start, "a parents entry needs an 'id'");
        return new ParentLink(id, weight ?? 1, contributes ?? true);
    }
}

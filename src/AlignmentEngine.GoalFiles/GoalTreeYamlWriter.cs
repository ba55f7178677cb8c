using System.Globalization;
using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles.Internal;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AlignmentEngine.GoalFiles;

/// <summary>
/// Writes a <see cref="GoalTree"/> as a goal file (goal-tree-format.md). Lossless: <see cref="GoalFileReader"/>
/// reads back an equal tree, invalid values included (NaN, zero weights, periods that end before they start,
/// undeclared period names), because exporting a tree must never repair or lose what the caller stored.
/// </summary>
public static class GoalTreeYamlWriter
{
    public static string ToYaml(GoalTree tree)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        Write(tree, text);
        return text.ToString();
    }

    public static void Write(GoalTree tree, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(output);

        // No line folding: a long title stays on its line, as a person would write it.
        var emitter = new Emitter(output, new EmitterSettings(2, int.MaxValue, false, 1024, newLine: "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
        if (tree.AsOf is { } asOf) Pair(emitter, "as_of", Date(asOf));
        if (tree.DefaultPeriod is { } defaultPeriod)
        {
            Key(emitter, "period");
            WritePeriodRef(emitter, defaultPeriod);
        }

        if (tree.Periods.Count > 0)
        {
            Key(emitter, "periods");
            emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
            foreach (var (name, period) in tree.Periods)
            {
                emitter.Emit(Text(name));
                WritePeriod(emitter, period);
            }

            emitter.Emit(new MappingEnd());
        }

        if (tree.Settings != AlignmentSettings.Default) WriteSettings(emitter, tree.Settings);
        Key(emitter, "goals");
        emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
        foreach (var goal in tree.Goals) WriteGoal(emitter, goal);
        emitter.Emit(new SequenceEnd());
        emitter.Emit(new MappingEnd());
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
    }

    private static void WriteSettings(IEmitter emitter, AlignmentSettings settings)
    {
        Key(emitter, "settings");
        emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
        Pair(emitter, "on_track_tolerance", Number(settings.OnTrackTolerance));
        Pair(emitter, "at_risk_tolerance", Number(settings.AtRiskTolerance));
        Pair(emitter, "max_objectives_per_owner", Plain(settings.MaxObjectivesPerOwner.ToString(CultureInfo.InvariantCulture)));
        emitter.Emit(new MappingEnd());
    }

    private static void WriteGoal(IEmitter emitter, GoalDefinition goal)
    {
        emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
        Pair(emitter, "id", Text(goal.Id));
        Pair(emitter, "type", Plain(goal.Type.Name()));
        if (goal.Level is { } level) Pair(emitter, "level", Plain(level.Name()));
        if (goal.Title is { } title) Pair(emitter, "title", Text(title));
        if (goal.Owner is { } owner) Pair(emitter, "owner", Text(owner));
        if (goal.Tags.Count > 0)
        {
            Key(emitter, "tags");
            emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Flow));
            foreach (var tag in goal.Tags) emitter.Emit(Text(tag));
            emitter.Emit(new SequenceEnd());
        }

        if (goal.State != GoalState.Active) Pair(emitter, "state", Plain(goal.State.Name()));
        if (goal.Period is { } period)
        {
            Key(emitter, "period");
            WritePeriodRef(emitter, period);
        }

        if (goal.ProgressOverride is { } progressOverride) Pair(emitter, "progress_override", Number(progressOverride));
        if (goal.Parents.Count > 0) WriteParents(emitter, goal.Parents);
        if (goal.Metric is { } metric) WriteMetric(emitter, metric);
        emitter.Emit(new MappingEnd());
    }

    private static void WriteParents(IEmitter emitter, IReadOnlyList<ParentLink> parents)
    {
        Key(emitter, "parents");
        emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Flow));
        foreach (var parent in parents)
        {
            // The short form is exactly the defaults; anything else spells the entry out.
            if (parent.Contributes && BitConverter.DoubleToInt64Bits(parent.Weight) == BitConverter.DoubleToInt64Bits(1.0))
            {
                emitter.Emit(Text(parent.ParentId));
                continue;
            }

            emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow));
            Pair(emitter, "id", Text(parent.ParentId));
            Pair(emitter, "weight", Number(parent.Weight));
            if (!parent.Contributes) Pair(emitter, "contributes", Plain("false"));
            emitter.Emit(new MappingEnd());
        }

        emitter.Emit(new SequenceEnd());
    }

    private static void WriteMetric(IEmitter emitter, Metric metric)
    {
        Key(emitter, "metric");
        emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow));
        Pair(emitter, "direction", Plain(metric.Direction.Name()));

        // Positive zero is the default; -0.0 is written so that the round trip keeps even its sign.
        if (BitConverter.DoubleToInt64Bits(metric.Start) != 0) Pair(emitter, "start", Number(metric.Start));
        if (metric.Target is { } target) Pair(emitter, "target", Number(target));
        if (metric.Current is { } current)
        {
            var isDoneFlag = metric.Direction == MetricDirection.Milestone
                && (BitConverter.DoubleToInt64Bits(current) == BitConverter.DoubleToInt64Bits(1.0)
                    || BitConverter.DoubleToInt64Bits(current) == 0);
            if (isDoneFlag) Pair(emitter, "done", Plain(current == 1 ? "true" : "false"));
            else Pair(emitter, "current", Number(current));
        }

        if (metric.Unit is { } unit) Pair(emitter, "unit", Text(unit));
        if (metric.Key is { } key) Pair(emitter, "key", Text(key));
        if (metric.Aggregate != MetricAggregate.None) Pair(emitter, "aggregate", Plain(metric.Aggregate.Name()));
        emitter.Emit(new MappingEnd());
    }

    private static void WritePeriodRef(IEmitter emitter, PeriodRef period)
    {
        if (period.Name is { } name) emitter.Emit(Text(name));
        else WritePeriod(emitter, period.Range!.Value);
    }

    private static void WritePeriod(IEmitter emitter, Period period)
    {
        emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow));
        Pair(emitter, "start", Date(period.Start));
        Pair(emitter, "end", Date(period.End));
        emitter.Emit(new MappingEnd());
    }

    private static void Key(IEmitter emitter, string key) => emitter.Emit(Plain(key));

    private static void Pair(IEmitter emitter, string key, Scalar value)
    {
        Key(emitter, key);
        emitter.Emit(value);
    }

    private static Scalar Plain(string text) =>
        new(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, true, false);

    private static Scalar Number(double value) => Plain(YamlScalars.FormatNumber(value));

    private static Scalar Date(DateOnly date) => Plain(date.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture));

    /// <summary>
    /// Free text: plain where that reads back as the same text, quoted where a YAML reader would take it for
    /// null, a boolean, a number or a date. The emitter itself quotes anything plain style cannot carry.
    /// </summary>
    private static Scalar Text(string text) =>
        new(AnchorName.Empty, TagName.Empty, text, YamlScalars.LooksTyped(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, true, true);
}

using System.Text.Json;
using AlignmentEngine.Core;

namespace AlignmentEngine.Storage.Internal;

/// <summary>One goal definition as JSON, every field; absent fields are omitted. Shared by the log and snapshots.</summary>
internal static class GoalJson
{
    public static void Write(Utf8JsonWriter json, GoalDefinition goal)
    {
        json.WriteStartObject();
        json.WriteString("id", goal.Id);
        json.WriteString("type", goal.Type.ToString());
        if (goal.Level is { } level) json.WriteString("level", level.ToString());
        if (goal.Title is not null) json.WriteString("title", goal.Title);
        if (goal.Owner is not null) json.WriteString("owner", goal.Owner);
        if (goal.Tags.Count > 0)
        {
            json.WriteStartArray("tags");
            foreach (var tag in goal.Tags) json.WriteStringValue(tag);
            json.WriteEndArray();
        }

        json.WriteString("state", goal.State.ToString());
        if (goal.Period is { } period)
        {
            json.WritePropertyName("period");
            WritePeriod(json, period);
        }

        if (goal.Metric is { } m)
        {
            json.WriteStartObject("metric");
            json.WriteString("direction", m.Direction.ToString());
            json.WriteNumber("start", m.Start);
            if (m.Target is { } target) json.WriteNumber("target", target);
            if (m.Current is { } current) json.WriteNumber("current", current);
            if (m.Unit is not null) json.WriteString("unit", m.Unit);
            if (m.Key is not null) json.WriteString("key", m.Key);
            json.WriteString("aggregate", m.Aggregate.ToString());
            json.WriteEndObject();
        }

        if (goal.ProgressOverride is { } progress) json.WriteNumber("override", progress);
        if (goal.Parents.Count > 0)
        {
            json.WriteStartArray("parents");
            foreach (var link in goal.Parents)
            {
                json.WriteStartObject();
                json.WriteString("parent", link.ParentId);
                json.WriteNumber("weight", link.Weight);
                json.WriteBoolean("contributes", link.Contributes);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    public static GoalDefinition Read(JsonElement e)
    {
        var goal = new GoalDefinition(e.GetProperty("id").GetString()!, Enum.Parse<GoalType>(e.GetProperty("type").GetString()!))
        {
            Level = e.TryGetProperty("level", out var level) ? Enum.Parse<GoalLevel>(level.GetString()!) : null,
            Title = e.TryGetProperty("title", out var title) ? title.GetString() : null,
            Owner = e.TryGetProperty("owner", out var owner) ? owner.GetString() : null,
            Tags = e.TryGetProperty("tags", out var tags) ? [.. tags.EnumerateArray().Select(t => t.GetString()!)] : [],
            State = Enum.Parse<GoalState>(e.GetProperty("state").GetString()!),
            Period = e.TryGetProperty("period", out var period) ? ReadPeriod(period) : null,
            ProgressOverride = e.TryGetProperty("override", out var progress) ? progress.GetDouble() : null,
            Parents = e.TryGetProperty("parents", out var parents)
                ? [.. parents.EnumerateArray().Select(p => new ParentLink(p.GetProperty("parent").GetString()!, p.GetProperty("weight").GetDouble(), p.GetProperty("contributes").GetBoolean()))]
                : [],
        };
        if (e.TryGetProperty("metric", out var m))
        {
            goal = goal with
            {
                Metric = new Metric(
                    Enum.Parse<MetricDirection>(m.GetProperty("direction").GetString()!),
                    m.GetProperty("start").GetDouble(),
                    m.TryGetProperty("target", out var target) ? target.GetDouble() : null,
                    m.TryGetProperty("current", out var current) ? current.GetDouble() : null,
                    m.TryGetProperty("unit", out var unit) ? unit.GetString() : null,
                    m.TryGetProperty("key", out var key) ? key.GetString() : null,
                    Enum.Parse<MetricAggregate>(m.GetProperty("aggregate").GetString()!)),
            };
        }

        return goal;
    }

    public static void WritePeriod(Utf8JsonWriter json, PeriodRef period)
    {
        json.WriteStartObject();
        if (period.Name is not null) json.WriteString("name", period.Name);
        if (period.Range is { } range)
        {
            json.WriteNumber("start", range.Start.DayNumber);
            json.WriteNumber("end", range.End.DayNumber);
        }

        json.WriteEndObject();
    }

    public static PeriodRef ReadPeriod(JsonElement e) =>
        e.TryGetProperty("name", out var name)
            ? PeriodRef.Named(name.GetString()!)
            : PeriodRef.Of(new Period(DateOnly.FromDayNumber(e.GetProperty("start").GetInt32()), DateOnly.FromDayNumber(e.GetProperty("end").GetInt32())));
}

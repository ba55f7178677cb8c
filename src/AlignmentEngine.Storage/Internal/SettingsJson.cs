using System.Text.Json;
using AlignmentEngine.Core;

namespace AlignmentEngine.Storage.Internal;

/// <summary>A tree's document-level part (periods, default period, tolerances) as JSON: the tenants.settings column.</summary>
internal static class SettingsJson
{
    public static string Write(GoalTree tree)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer)) Write(json, tree);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static void Write(Utf8JsonWriter json, GoalTree tree)
    {
        json.WriteStartObject();
        json.WriteStartObject("periods");
        foreach (var (name, period) in tree.Periods.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json.WritePropertyName(name);
            GoalJson.WritePeriod(json, PeriodRef.Of(period));
        }

        json.WriteEndObject();
        if (tree.DefaultPeriod is { } defaultPeriod)
        {
            json.WritePropertyName("default_period");
            GoalJson.WritePeriod(json, defaultPeriod);
        }

        json.WriteNumber("on_track_tolerance", tree.Settings.OnTrackTolerance);
        json.WriteNumber("at_risk_tolerance", tree.Settings.AtRiskTolerance);
        json.WriteNumber("max_objectives_per_owner", tree.Settings.MaxObjectivesPerOwner);
        json.WriteEndObject();
    }

    /// <summary>A tree with the stored settings and no goals.</summary>
    public static GoalTree Read(string text)
    {
        using var document = JsonDocument.Parse(text);
        return Read(document.RootElement);
    }

    public static GoalTree Read(JsonElement e)
    {
        var periods = new Dictionary<string, Period>(StringComparer.Ordinal);
        foreach (var p in e.GetProperty("periods").EnumerateObject()) periods[p.Name] = GoalJson.ReadPeriod(p.Value).Range!.Value;
        return new GoalTree
        {
            Periods = periods,
            DefaultPeriod = e.TryGetProperty("default_period", out var d) ? GoalJson.ReadPeriod(d) : null,
            Settings = new AlignmentSettings(
                e.GetProperty("on_track_tolerance").GetDouble(),
                e.GetProperty("at_risk_tolerance").GetDouble(),
                e.GetProperty("max_objectives_per_owner").GetInt32()),
        };
    }
}

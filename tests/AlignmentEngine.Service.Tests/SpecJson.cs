using System.Text.Json;
using AlignmentEngine.Api.V1;

namespace AlignmentEngine.Service.Tests;

/// <summary>The JSON result shape of the format spec, written from the service's protobuf answer.</summary>
internal static class SpecJson
{
    public static string From(IEnumerable<GoalStatus> goals, IEnumerable<Finding> findings, bool valid)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteBoolean("valid", valid);
            json.WriteStartArray("goals");
            foreach (var g in goals)
            {
                json.WriteStartObject();
                json.WriteString("id", g.GoalId);
                json.WriteNumber("progress", g.Progress);
                json.WriteNumber("attainment", g.Attainment);
                if (g.HasExpected) json.WriteNumber("expected", g.Expected);
                else json.WriteNull("expected");
                json.WriteString("health", Suffix(g.Health.ToString()));
                json.WriteBoolean("counted", g.Counted);
                if (g.Level == GoalLevel.Unspecified) json.WriteNull("level");
                else json.WriteString("level", Suffix(g.Level.ToString()));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("findings");
            foreach (var f in findings)
            {
                json.WriteStartObject();
                json.WriteString("code", Snake(f.Code.ToString()).ToUpperInvariant());
                json.WriteString("severity", Suffix(f.Severity.ToString()));
                json.WriteString("goal", f.GoalId);
                json.WriteStartArray("related");
                foreach (var r in f.RelatedGoalIds) json.WriteStringValue(r);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    // C# enum names of the generated code: OnTrack → on_track.
    private static string Suffix(string pascal) => Snake(pascal);

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

using System.Globalization;
using System.Text.Json;
using AlignmentEngine.Core;

namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// The change log's body: a change set's operations as JSON, written and read by hand so that the stored form
/// is ours (stable field names, enums by name) and not whatever a serializer makes of the core's records.
/// </summary>
internal static class ChangeJson
{
    public static string Write(IReadOnlyList<GoalChange> changes)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var change in changes) WriteChange(json, change);
            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static IReadOnlyList<GoalChange> Read(string body)
    {
        using var document = JsonDocument.Parse(body);
        var changes = new List<GoalChange>(document.RootElement.GetArrayLength());
        foreach (var element in document.RootElement.EnumerateArray()) changes.Add(ReadChange(element));
        return changes;
    }

    private static void WriteChange(Utf8JsonWriter json, GoalChange change)
    {
        json.WriteStartObject();
        switch (change)
        {
            case UpsertGoal u:
                json.WriteString("op", "upsert");
                json.WritePropertyName("goal");
                GoalJson.Write(json, u.Goal);
                break;
            case RemoveGoal r:
                json.WriteString("op", "remove");
                json.WriteString("id", r.Id);
                break;
            case SetState s:
                json.WriteString("op", "state");
                json.WriteString("id", s.Id);
                json.WriteString("state", s.State.ToString());
                break;
            case AddEdge a:
                json.WriteString("op", "add_edge");
                json.WriteString("child", a.ChildId);
                json.WriteString("parent", a.Link.ParentId);
                json.WriteNumber("weight", a.Link.Weight);
                json.WriteBoolean("contributes", a.Link.Contributes);
                break;
            case RemoveEdge r:
                json.WriteString("op", "remove_edge");
                json.WriteString("child", r.ChildId);
                json.WriteString("parent", r.ParentId);
                break;
            case SetWeight w:
                json.WriteString("op", "weight");
                json.WriteString("child", w.ChildId);
                json.WriteString("parent", w.ParentId);
                json.WriteNumber("weight", w.Weight);
                break;
            case CheckIn c:
                json.WriteString("op", "check_in");
                json.WriteString("id", c.Id);
                json.WriteNumber("value", c.Value);
                if (c.At is { } at) json.WriteString("at", at.ToString("O", CultureInfo.InvariantCulture));
                if (c.Confidence is { } confidence) json.WriteNumber("confidence", confidence);
                break;
            case SetOverride o:
                json.WriteString("op", "override");
                json.WriteString("id", o.Id);
                if (o.Value is { } value) json.WriteNumber("value", value);
                else json.WriteNull("value");
                break;
            default:
                throw new NotSupportedException($"The change log cannot store {change.GetType().Name}.");
        }

        json.WriteEndObject();
    }

    private static GoalChange ReadChange(JsonElement e)
    {
        var op = e.GetProperty("op").GetString();
        return op switch
        {
            "upsert" => new UpsertGoal(GoalJson.Read(e.GetProperty("goal"))),
            "remove" => new RemoveGoal(Text(e, "id")),
            "state" => new SetState(Text(e, "id"), Enum.Parse<GoalState>(Text(e, "state"))),
            "add_edge" => new AddEdge(Text(e, "child"), new ParentLink(Text(e, "parent"), e.GetProperty("weight").GetDouble(), e.GetProperty("contributes").GetBoolean())),
            "remove_edge" => new RemoveEdge(Text(e, "child"), Text(e, "parent")),
            "weight" => new SetWeight(Text(e, "child"), Text(e, "parent"), e.GetProperty("weight").GetDouble()),
            "check_in" => new CheckIn(
                Text(e, "id"),
                e.GetProperty("value").GetDouble(),
                e.TryGetProperty("at", out var at) ? DateTimeOffset.Parse(at.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null,
                e.TryGetProperty("confidence", out var confidence) ? confidence.GetDouble() : null),
            "override" => new SetOverride(Text(e, "id"), e.GetProperty("value").ValueKind == JsonValueKind.Null ? null : e.GetProperty("value").GetDouble()),
            _ => throw new InvalidDataException($"Unknown operation '{op}' in the change log."),
        };
    }

    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString()!;
}

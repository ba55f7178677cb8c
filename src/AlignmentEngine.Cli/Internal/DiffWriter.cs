using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>The two forms of <c>okr diff</c>: text for a review comment, JSON for a pipeline.</summary>
internal static class DiffWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Text(GoalTreeDiff diff)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{diff.Old.Document.Path} → {diff.New.Document.Path} at {Date(diff.New.AsOf)}");
        if (!diff.Old.Report.Valid) text.Append(" (old version invalid: not rolled up)");
        if (!diff.New.Report.Valid) text.Append(" (new version invalid: not rolled up)");
        text.Append('\n');
        if (diff.IsEmpty) return text.Append("No change to goals or findings.\n").ToString();

        text.Append(CultureInfo.InvariantCulture,
            $"Goals: {diff.Added.Count} added, {diff.Removed.Count} removed, {diff.Moved.Count} moved, {diff.StateChanged.Count} state changed, {diff.ValueChanged.Count} value or health changed\n");
        foreach (var id in diff.Added) text.Append("  added    ").Append(id).Append(Describe(diff.New, id)).Append('\n');
        foreach (var id in diff.Removed) text.Append("  removed  ").Append(id).Append(Describe(diff.Old, id)).Append('\n');
        foreach (var move in diff.Moved)
        {
            text.Append("  moved    ").Append(move.Id).Append(": ").Append(Parents(move.OldParents)).Append(" → ").Append(Parents(move.NewParents)).Append('\n');
        }

        foreach (var state in diff.StateChanged) text.Append("  state    ").Append(state.Id).Append(": ").Append(state.Old.Name()).Append(" → ").Append(state.New.Name()).Append('\n');
        foreach (var change in diff.ValueChanged)
        {
            text.Append("  changed  ").Append(change.Id).Append(": ").Append(Value(change.Old)).Append(" → ").Append(Value(change.New)).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"Findings: {diff.Appeared.Count} appeared, {diff.Disappeared.Count} disappeared\n");
        foreach (var finding in diff.Appeared) text.Append("  + ").Append(Finding(finding)).Append('\n');
        foreach (var finding in diff.Disappeared) text.Append("  - ").Append(Finding(finding)).Append('\n');
        return text.ToString();
    }

    public static string Json(GoalTreeDiff diff)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("as_of", Date(diff.New.AsOf));
            WriteVersion(json, "old", diff.Old);
            WriteVersion(json, "new", diff.New);
            json.WriteStartObject("goals");
            WriteIds(json, "added", diff.Added);
            WriteIds(json, "removed", diff.Removed);
            json.WriteObjects("moved", diff.Moved, (json, move) =>
            {
                json.WriteString("id", move.Id);
                WriteIds(json, "old_parents", move.OldParents);
                WriteIds(json, "new_parents", move.NewParents);
            });
            json.WriteObjects("state_changed", diff.StateChanged, (json, state) =>
            {
                json.WriteString("id", state.Id);
                json.WriteString("old", state.Old.Name());
                json.WriteString("new", state.New.Name());
            });
            json.WriteObjects("changed", diff.ValueChanged, (json, change) =>
            {
                json.WriteString("id", change.Id);
                WriteValue(json, "old", change.Old);
                WriteValue(json, "new", change.New);
            });
            json.WriteEndObject();
            json.WriteStartObject("findings");
            json.WriteStartArray("appeared");
            foreach (var finding in diff.Appeared) RollupReportJson.WriteFinding(json, finding);
            json.WriteEndArray();
            json.WriteStartArray("disappeared");
            foreach (var finding in diff.Disappeared) RollupReportJson.WriteFinding(json, finding);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    private static void WriteVersion(Utf8JsonWriter json, string name, EvaluatedTree tree)
    {
        json.WriteStartObject(name);
        json.WriteString("path", tree.Document.Path);
        json.WriteBoolean("valid", tree.Report.Valid);
        json.WriteEndObject();
    }

    private static void WriteIds(Utf8JsonWriter json, string name, IEnumerable<string> ids)
    {
        json.WriteStartArray(name);
        foreach (var id in ids) json.WriteStringValue(id);
        json.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter json, string name, GoalResult result)
    {
        json.WriteStartObject(name);
        json.WriteNumber("progress", result.Progress);
        json.WriteString("health", result.Health.Name());
        json.WriteEndObject();
    }

    private static string Describe(EvaluatedTree tree, string id)
    {
        var title = tree.DefinitionOf(id)?.Title is { Length: > 0 } t ? $" \"{t}\"" : string.Empty;
        return tree.ResultOf(id) is { } result ? $"{title} ({Value(result)})" : title;
    }

    private static string Value(GoalResult result) => $"{GoalLabel.Percent(result.Progress)} {result.Health.Name()}";

    private static string Parents(IReadOnlyList<string> parents) => parents.Count == 0 ? "(no parent)" : string.Join(", ", parents);

    private static string Finding(Finding finding)
    {
        var related = finding.Related.Count == 0 ? string.Empty : $" (related: {string.Join(", ", finding.Related)})";
        var goal = finding.Goal.Length == 0 ? "(document)" : finding.Goal;
        return $"{finding.Severity.Name()} {finding.Code.Name()} {goal}{related}: {finding.Message}";
    }

    private static string Date(DateOnly date) => date.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);
}

using System.Text.Encodings.Web;
using System.Text.Json;
using AlignmentEngine.Core;

namespace AlignmentEngine.GoalFiles;

/// <summary>
/// Writes a <see cref="RollupReport"/> as the JSON document of goal-tree-format.md ("Machine-readable results").
/// The order is the report's (the engine sorts); numbers are written shortest round-trip, so a reader gets back
/// exactly the doubles the engine computed.
/// </summary>
public static class RollupReportJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,

        // The output goes to terminals, files and pipelines, never into HTML: keep ids and messages readable
        // (no \u0027 for an apostrophe) while still escaping what JSON requires.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(RollupReport report)
    {
        using var buffer = new MemoryStream();
        Write(buffer, report);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes the document, indented, as UTF-8 to a stream that stays open.</summary>
    public static void Write(Stream output, RollupReport report)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output, Options);
        Write(writer, report);
    }

    public static void Write(Utf8JsonWriter writer, RollupReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        writer.WriteStartObject();
        writer.WriteString("as_of", FormatDate(report.AsOf));
        writer.WriteBoolean("valid", report.Valid);
        writer.WriteStartArray("goals");
        foreach (var goal in report.Goals) WriteGoal(writer, goal);
        writer.WriteEndArray();
        writer.WriteStartArray("findings");
        foreach (var finding in report.Findings) WriteFinding(writer, finding);
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteGoal(Utf8JsonWriter writer, GoalResult goal)
    {
        writer.WriteStartObject();
        writer.WriteString("id", goal.Id);
        writer.WriteNumber("progress", goal.Progress);
        writer.WriteNumber("attainment", goal.Attainment);
        if (goal.Expected is { } expected) writer.WriteNumber("expected", expected);
        else writer.WriteNull("expected");
        writer.WriteString("health", goal.Health.Name());
        writer.WriteBoolean("counted", goal.Counted);
        if (goal.Level is { } level) writer.WriteString("level", level.Name());
        else writer.WriteNull("level");
        if (goal.Period is { } period)
        {
            writer.WriteStartObject("period");
            writer.WriteString("start", FormatDate(period.Start));
            writer.WriteString("end", FormatDate(period.End));
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("period");
        }

        writer.WriteEndObject();
    }

    /// <summary>One finding object, as in the document's <c>findings</c> (also used by <c>okr diff</c>).</summary>
    public static void WriteFinding(Utf8JsonWriter writer, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(finding);
        writer.WriteStartObject();
        writer.WriteString("code", finding.Code.Name());
        writer.WriteString("severity", finding.Severity.Name());
        writer.WriteString("goal", finding.Goal);
        writer.WriteStartArray("related");
        foreach (var related in finding.Related) writer.WriteStringValue(related);
        writer.WriteEndArray();
        writer.WriteString("message", finding.Message);
        writer.WriteEndObject();
    }

    private static string FormatDate(DateOnly date) =>
        date.ToString("yyyy'-'MM'-'dd", System.Globalization.CultureInfo.InvariantCulture);
}

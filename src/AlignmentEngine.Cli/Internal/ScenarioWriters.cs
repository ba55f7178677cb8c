using System.Globalization;
using System.Text;
using System.Text.Json;
using AlignmentEngine.Core;
using AlignmentEngine.Core.Scenarios;
using AlignmentEngine.GoalFiles;
using Spectre.Console;

namespace AlignmentEngine.Cli.Internal;

/// <summary>A scenario's answer: the report, what the change set was, the goals whose health changed, and how many of each are listed.</summary>
internal sealed record ScenarioOutcome(ScenarioReport Report, IReadOnlyList<ScenarioChange> Changes, IReadOnlyList<HealthMove> HealthMoves, int Listed)
{
    public IEnumerable<ScenarioChange> ListedChanges => Changes.Take(Listed);

    public int UnlistedChanges => Math.Max(0, Changes.Count - Listed);
}

/// <summary>
/// <c>okr scenario</c>'s three outputs: text for a terminal, JSON for scripts and notebooks, Markdown for a wiki.
/// Each says the same things in the same order: the change, health counts, the goals whose health changed, the
/// largest value changes, newly orphaned goals, findings.
/// </summary>
internal static class ScenarioWriters
{
    public static void WriteText(ScenarioOutcome outcome, IAnsiConsole ansi)
    {
        var report = outcome.Report;
        ansi.MarkupLine(CultureInfo.InvariantCulture, "[bold]{0}[/]: {1}, {2}, simulated in {3:N2} ms",
            report.Scenario, Plural(report.ChangeCount, "change"), report.Accepted ? "accepted" : "[red]refused[/]", report.Elapsed.TotalMilliseconds);
        ansi.MarkupLine("[bold]the change[/]" + (report.ChangeCount == 0 ? ": nothing to change in this organisation" : ""));
        foreach (var change in outcome.ListedChanges) ansi.MarkupLine("  " + Markup.Escape(change.Text));
        if (outcome.UnlistedChanges > 0) ansi.MarkupLine(CultureInfo.InvariantCulture, "  … and {0:N0} more (--top to list more)", outcome.UnlistedChanges);

        var health = new Table().AddColumns("health", "before", "after", "change");
        foreach (var (name, was, now) in HealthRows(report)) health.AddRow(name, $"{was:N0}", $"{now:N0}", now == was ? "" : $"{now - was:+#,0;-#,0}");
        ansi.Write(health);

        if (outcome.HealthMoves.Count > 0)
        {
            ansi.MarkupLine("[bold]health changed[/] (highest level first)");
            var moves = new Table().AddColumns("goal", "level", "before", "after");
            foreach (var m in outcome.HealthMoves) moves.AddRow(Markup.Escape(m.Id), m.Level?.Name() ?? "", m.Before.Name(), m.After.Name());
            ansi.Write(moves);
        }

        if (report.LargestChanges.Count > 0)
        {
            ansi.MarkupLine("[bold]largest value changes[/]");
            var values = new Table().AddColumns("goal", "before", "after", "Δ");
            foreach (var c in report.LargestChanges) values.AddRow(Markup.Escape(c.Id), $"{c.Before:P1}", $"{c.After:P1}", Points(c));
            ansi.Write(values);
        }

        ansi.MarkupLine(CultureInfo.InvariantCulture, "[bold]newly orphaned[/]: {0:N0}{1}", report.NewlyOrphaned.Count,
            report.NewlyOrphaned.Count == 0 ? "" : " (" + Markup.Escape(string.Join(", ", report.NewlyOrphaned.Take(10))) + (report.NewlyOrphaned.Count > 10 ? ", …" : "") + ")");
        ansi.MarkupLine("[bold]findings appeared[/]: " + Counts(report.FindingsAppeared));
        ansi.MarkupLine("[bold]findings disappeared[/]: " + Counts(report.FindingsDisappeared));
    }

    public static void WriteMarkdown(ScenarioOutcome outcome, CliConsole console)
    {
        var report = outcome.Report;
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"## Scenario `{report.Scenario}`\n\n")
            .Append(CultureInfo.InvariantCulture, $"{Plural(report.ChangeCount, "change")}, {(report.Accepted ? "accepted" : "**refused**")}, simulated in {report.Elapsed.TotalMilliseconds:0.00} ms.\n\n");
        md.Append("### The change\n\n");
        if (report.ChangeCount == 0) md.Append("Nothing to change in this organisation.\n");
        foreach (var change in outcome.ListedChanges) md.Append("- ").Append(Cell(change.Text)).Append('\n');
        if (outcome.UnlistedChanges > 0) md.Append(CultureInfo.InvariantCulture, $"- … and {outcome.UnlistedChanges:N0} more\n");
        md.Append("\n### Health\n\n| health | before | after | change |\n| --- | ---: | ---: | ---: |\n");
        foreach (var (name, was, now) in HealthRows(report)) md.Append(CultureInfo.InvariantCulture, $"| {name} | {was:N0} | {now:N0} | {(now == was ? "" : (now - was).ToString("+#,0;-#,0", CultureInfo.InvariantCulture))} |\n");
        if (outcome.HealthMoves.Count > 0)
        {
            md.Append("\n### Health changed (highest level first)\n\n| goal | level | before | after |\n| --- | --- | --- | --- |\n");
            foreach (var m in outcome.HealthMoves) md.Append(CultureInfo.InvariantCulture, $"| {Cell(m.Id)} | {m.Level?.Name()} | {m.Before.Name()} | {m.After.Name()} |\n");
        }

        if (report.LargestChanges.Count > 0)
        {
            md.Append("\n### Largest value changes\n\n| goal | before | after | Δ |\n| --- | ---: | ---: | ---: |\n");
            foreach (var c in report.LargestChanges) md.Append(CultureInfo.InvariantCulture, $"| {Cell(c.Id)} | {c.Before:P1} | {c.After:P1} | {Points(c)} |\n");
        }

        md.Append(CultureInfo.InvariantCulture, $"\n**Newly orphaned:** {report.NewlyOrphaned.Count:N0}")
            .Append(report.NewlyOrphaned.Count == 0 ? "" : " (" + Cell(string.Join(", ", report.NewlyOrphaned.Take(10))) + (report.NewlyOrphaned.Count > 10 ? ", …" : "") + ")")
            .Append("  \n**Findings appeared:** ").Append(Counts(report.FindingsAppeared))
            .Append("  \n**Findings disappeared:** ").Append(Counts(report.FindingsDisappeared)).Append('\n');
        console.Out.Write(md.ToString());
    }

    public static void WriteJson(ScenarioOutcome outcome, CliConsole console)
    {
        var report = outcome.Report;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("scenario", report.Scenario);
            json.WriteNumber("changes", report.ChangeCount);
            json.WriteBoolean("accepted", report.Accepted);
            json.WriteNumber("elapsed_ms", report.Elapsed.TotalMilliseconds);
            json.WriteObjects("changes_listed", outcome.ListedChanges, (json, change) =>
            {
                json.WriteString("kind", change.Kind);
                json.WriteString("goal", change.Goal);
                json.WriteString("text", change.Text);
            });
            WriteCounts(json, "health_before", report.HealthBefore.ToDictionary(h => h.Key.Name(), h => h.Value));
            WriteCounts(json, "health_after", report.HealthAfter.ToDictionary(h => h.Key.Name(), h => h.Value));
            json.WriteObjects("health_changed", outcome.HealthMoves, (json, m) =>
            {
                json.WriteString("id", m.Id);
                if (m.Level is { } level) json.WriteString("level", level.Name());
                else json.WriteNull("level");
                json.WriteString("before", m.Before.Name());
                json.WriteString("after", m.After.Name());
            });
            json.WriteStartArray("newly_orphaned");
            foreach (var id in report.NewlyOrphaned) json.WriteStringValue(id);
            json.WriteEndArray();
            json.WriteObjects("largest_changes", report.LargestChanges, (json, c) =>
            {
                json.WriteString("id", c.Id);
                json.WriteNumber("before", c.Before);
                json.WriteNumber("after", c.After);
            });
            WriteCounts(json, "findings_appeared", report.FindingsAppeared.ToDictionary(c => c.Key.Name(), c => c.Value));
            WriteCounts(json, "findings_disappeared", report.FindingsDisappeared.ToDictionary(c => c.Key.Name(), c => c.Value));
            json.WriteEndObject();
        }

        console.Out.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>"1 change", "3 changes": counts read as English.</summary>
    public static string Plural(int count, string noun) => $"{count.ToString("N0", CultureInfo.InvariantCulture)} {noun}{(count == 1 ? "" : "s")}";

    private static IEnumerable<(string Name, int Before, int After)> HealthRows(ScenarioReport report) =>
        Enum.GetValues<Health>()
            .Select(h => (h.Name(), report.HealthBefore[h], report.HealthAfter[h]))
            .Where(row => row.Item2 != 0 || row.Item3 != 0);

    private static string Points(ValueChange change) => $"{(change.Delta * 100).ToString("+0.0;-0.0", CultureInfo.InvariantCulture)} pts";

    private static string Counts(IReadOnlyDictionary<FindingCode, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderBy(c => c.Key.Name(), StringComparer.Ordinal).Select(c => $"{c.Key.Name()} {c.Value:N0}"));

    /// <summary>Text in a Markdown table cell or list item: pipes escaped, no line breaks.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');

    private static void WriteCounts(Utf8JsonWriter json, string name, Dictionary<string, int> counts)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in counts.OrderBy(c => c.Key, StringComparer.Ordinal)) json.WriteNumber(key, value);
        json.WriteEndObject();
    }
}

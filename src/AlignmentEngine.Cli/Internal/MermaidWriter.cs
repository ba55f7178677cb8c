using System.Globalization;
using System.Text;
using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// The alignment graph as a Mermaid flowchart, which GitHub and GitLab draw inside a pull request's
/// <c>```mermaid</c> block: children below parents, an arrow up each alignment edge (dotted where the child
/// supports without contributing, labelled with its weight where it is not 1), each goal filled by its health
/// and outlined by its worst finding.
/// </summary>
internal static class MermaidWriter
{
    private const string NoRollupClass = "no_rollup";

    public static string Write(EvaluatedTree tree, RenderScope scope)
    {
        var text = new StringBuilder();
        text.Append("%% okr render ").Append(Comment(tree.Document.Path)).Append(" at ")
            .Append(tree.AsOf.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture)).Append('\n');
        if (scope.Note is { } note) text.Append("%% ").Append(Comment(note)).Append('\n');
        text.Append("flowchart BT\n");

        // Goal ids are free text (dots, spaces, quotes, Mermaid keywords like "end"): nodes get ids of their own.
        var nodes = NodeIds.For(scope.Goals);
        foreach (var goal in scope.Goals)
        {
            text.Append("    ").Append(nodes[goal.Id]).Append("[\"")
                .Append(string.Join("<br/>", GoalLabel.Lines(tree, goal).Select(Escape))).Append("\"]\n");
        }

        foreach (var goal in scope.Goals)
        {
            foreach (var link in goal.Parents)
            {
                // An unknown parent has no node; the UNKNOWN_PARENT finding marks the child instead.
                if (!nodes.TryGetValue(link.ParentId, out var parent)) continue;
                text.Append("    ").Append(nodes[goal.Id]).Append(link.Contributes ? " -->" : " -.->");
                if (!link.Contributes) text.Append("|supports|");
                else if (link.Weight != 1) text.Append("|×").Append(GoalLabel.Weight(link.Weight)).Append('|');
                text.Append(' ').Append(parent).Append('\n');
            }
        }

        WriteClasses(text, tree, scope, nodes);
        foreach (var finding in tree.DocumentFindings)
        {
            text.Append("%% ").Append(finding.Code.Name()).Append(" (document): ").Append(Comment(finding.Message)).Append('\n');
        }

        return text.ToString();
    }

    private static void WriteClasses(StringBuilder text, EvaluatedTree tree, RenderScope scope, IReadOnlyDictionary<string, string> nodes)
    {
        var byHealth = scope.Goals.GroupBy(g => tree.ResultOf(g.Id)?.Health);
        foreach (var group in byHealth.OrderBy(g => g.Key?.Name() ?? NoRollupClass, StringComparer.Ordinal))
        {
            var name = group.Key?.Name() ?? NoRollupClass;
            var health = group.Key ?? Health.Inactive;
            text.Append("    classDef ").Append(name).Append(" fill:").Append(HealthColours.Fill(health))
                .Append(",stroke:").Append(HealthColours.Stroke(health)).Append(",color:#000\n");
            text.Append("    class ").Append(string.Join(',', group.Select(g => nodes[g.Id]))).Append(' ').Append(name).Append('\n');
        }

        // After the health classes, so the finding's outline wins over the health's.
        foreach (var severity in new[] { Severity.Warning, Severity.Error })
        {
            var marked = scope.Goals.Where(g => tree.WorstSeverityOf(g.Id) == severity).Select(g => nodes[g.Id]).ToArray();
            if (marked.Length == 0) continue;
            var name = severity.Name() + "_finding";
            text.Append("    classDef ").Append(name).Append(" stroke:").Append(HealthColours.FindingStroke(severity)).Append(",stroke-width:4px\n");
            text.Append("    class ").Append(string.Join(',', marked)).Append(' ').Append(name).Append('\n');
        }
    }

    /// <summary>
    /// Label text inside <c>["..."]</c>: Mermaid reads <c>#name;</c> as an entity, so the characters that would
    /// end the string or be taken for markup are written that way, and <c>#</c> itself first.
    /// </summary>
    internal static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '#' => "#35;",
                '"' => "#quot;",
                '<' => "#lt;",
                '>' => "#gt;",
                '&' => "#amp;",
                '`' => "#96;",
                _ when char.IsControl(c) => " ",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }

    /// <summary>A comment runs to the end of its line: no line breaks inside.</summary>
    private static string Comment(string text) => new([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);
}

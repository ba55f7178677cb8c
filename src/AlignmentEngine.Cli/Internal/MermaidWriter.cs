using System.Globalization;
using System.Text;
using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// The alignment graph as a Mermaid flowchart, which GitHub and GitLab draw inside a pull request's
/// <c>```mermaid</c> block: children below parents, an arrow up each alignment edge (dotted where the child
/// supports without contributing, labelled with its weight where it is not 1), each goal filled by its health
/// and outlined by its worst finding; a legend subgraph shows the health colours, the finding outlines and the two
/// kinds of edge.
/// </summary>
internal static class MermaidWriter
{
    private const string NoRollupClass = "no_rollup";

    // The legend's ids start with "legend", which no goal's node id (n0, n1, ...) does.
    private const string LegendChild = "legend_child";
    private const string LegendParent = "legend_parent";

    private static readonly Severity[] FindingSeverities = [Severity.Warning, Severity.Error];

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

        WriteLegend(text);
        WriteClasses(text, tree, scope, nodes);
        foreach (var finding in tree.DocumentFindings)
        {
            text.Append("%% ").Append(finding.Code.Name()).Append(" (document): ").Append(Comment(finding.Message)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The legend, as DOT and SVG have it: a node per health in its colours, a node per finding outline, and a child
    /// joined to its parent by each kind of edge. Its classes are assigned with the goals' in <see cref="WriteClasses"/>.
    /// </summary>
    private static void WriteLegend(StringBuilder text)
    {
        text.Append("    subgraph legend\n");
        foreach (var health in Enum.GetValues<Health>()) text.Append("        ").Append(LegendNode(health.Name())).Append("[\"").Append(health.Name()).Append("\"]\n");
        foreach (var severity in FindingSeverities)
        {
            text.Append("        ").Append(LegendNode(FindingClass(severity))).Append("[\"").Append(GoalLabel.FindingMark).Append(' ').Append(severity.Name()).Append(" finding\"]\n");
        }

        text.Append("        ").Append(LegendChild).Append("[\"child\"]\n")
            .Append("        ").Append(LegendParent).Append("[\"parent\"]\n")
            .Append("        ").Append(LegendChild).Append(" -->|contributes ×weight| ").Append(LegendParent).Append('\n')
            .Append("        ").Append(LegendChild).Append(" -.->|supports| ").Append(LegendParent).Append('\n')
            .Append("    end\n");
    }

    private static void WriteClasses(StringBuilder text, EvaluatedTree tree, RenderScope scope, IReadOnlyDictionary<string, string> nodes)
    {
        // Every health has its class, for the legend; a goal without a roll-up has one of its own.
        var byHealth = scope.Goals.ToLookup(g => tree.ResultOf(g.Id)?.Health);
        var healths = Enum.GetValues<Health>().Select(h => (Health?)h);
        if (byHealth.Contains(null)) healths = healths.Append(null);
        foreach (var key in healths.OrderBy(h => h?.Name() ?? NoRollupClass, StringComparer.Ordinal))
        {
            var name = key?.Name() ?? NoRollupClass;
            var health = key ?? Health.Inactive;
            var members = byHealth[key].Select(g => nodes[g.Id]);
            if (key is not null) members = members.Prepend(LegendNode(name));
            text.Append("    classDef ").Append(name).Append(" fill:").Append(HealthColours.Fill(health))
                .Append(",stroke:").Append(HealthColours.Stroke(health)).Append(",color:#000\n");
            text.Append("    class ").Append(string.Join(',', members)).Append(' ').Append(name).Append('\n');
        }

        // After the health classes, so the finding's outline wins over the health's.
        foreach (var severity in FindingSeverities)
        {
            var marked = scope.Goals.Where(g => tree.WorstSeverityOf(g.Id) == severity).Select(g => nodes[g.Id]).Prepend(LegendNode(FindingClass(severity)));
            var name = FindingClass(severity);
            text.Append("    classDef ").Append(name).Append(" stroke:").Append(HealthColours.FindingStroke(severity)).Append(",stroke-width:4px\n");
            text.Append("    class ").Append(string.Join(',', marked)).Append(' ').Append(name).Append('\n');
        }
    }

    private static string FindingClass(Severity severity) => severity.Name() + "_finding";

    private static string LegendNode(string className) => "legend_" + className;

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

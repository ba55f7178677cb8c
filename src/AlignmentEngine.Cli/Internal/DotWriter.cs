using System.Globalization;
using System.Text;
using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// The alignment graph in Graphviz DOT: the same picture as <see cref="MermaidWriter"/> (children below parents,
/// dashed edges that support without contributing, weights where not 1, health fills, finding outlines), with a
/// legend of those colours and edges. A scope of more than <see cref="WideTree"/> goals is laid out left to right
/// (roots on the left), so that a wide level grows down the page instead of across it.
/// </summary>
internal static class DotWriter
{
    /// <summary>More goals than this are laid out left to right.</summary>
    public const int WideTree = 40;

    public static string Write(EvaluatedTree tree, RenderScope scope)
    {
        var text = new StringBuilder();
        var title = $"{tree.Document.Path} at {tree.AsOf.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture)}";
        foreach (var finding in tree.DocumentFindings) title += $"\n{GoalLabel.FindingMark} {finding.Code.Name()} (document): {finding.Message}";
        if (scope.Note is { } note) title += $"\n{note}";
        text.Append("digraph alignment {\n");
        text.Append("  graph [rankdir=").Append(scope.Goals.Count > WideTree ? "RL" : "BT").Append(", labelloc=t, fontname=\"Helvetica\", label=").Append(Quote(title)).Append("];\n");
        text.Append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n");
        text.Append("  edge [fontname=\"Helvetica\", fontsize=9];\n");

        WriteLegend(text);
        var nodes = NodeIds.For(scope.Goals);
        foreach (var goal in scope.Goals)
        {
            var health = tree.ResultOf(goal.Id)?.Health ?? Health.Inactive;
            var findingStroke = HealthColours.FindingStroke(tree.WorstSeverityOf(goal.Id));
            text.Append("  ").Append(nodes[goal.Id]).Append(" [label=").Append(Quote(string.Join('\n', GoalLabel.Lines(tree, goal))))
                .Append(", fillcolor=").Append(Quote(HealthColours.Fill(health)))
                .Append(", color=").Append(Quote(findingStroke ?? HealthColours.Stroke(health)))
                .Append(", penwidth=").Append(findingStroke is null ? "1" : "3");
            var findings = tree.FindingsOf(goal.Id);
            if (findings.Count > 0) text.Append(", tooltip=").Append(Quote(string.Join('\n', findings.Select(f => f.ToString()))));
            text.Append("];\n");
        }

        foreach (var goal in scope.Goals)
        {
            foreach (var link in goal.Parents)
            {
                if (!nodes.TryGetValue(link.ParentId, out var parent)) continue;
                text.Append("  ").Append(nodes[goal.Id]).Append(" -> ").Append(parent);
                if (!link.Contributes) text.Append(" [style=dashed, label=\"supports\"]");
                else if (link.Weight != 1) text.Append(" [label=").Append(Quote("×" + GoalLabel.Weight(link.Weight))).Append(']');
                text.Append(";\n");
            }
        }

        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>
    /// The legend: one small table node (Graphviz's HTML-like label) with a swatch per health in its colours, the
    /// two finding outlines, and the two kinds of edge. Its name (legend) cannot meet a goal's (n0, n1, ...).
    /// </summary>
    private static void WriteLegend(StringBuilder text)
    {
        text.Append("  legend [shape=plain, style=\"\", fontsize=9, label=<<TABLE BORDER=\"1\" COLOR=\"#bdbdbd\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"2\">")
            .Append("<TR><TD COLSPAN=\"2\"><B>legend</B></TD></TR>");
        foreach (var health in Enum.GetValues<Health>())
        {
            text.Append("<TR><TD BGCOLOR=\"").Append(HealthColours.Fill(health)).Append("\" BORDER=\"1\" COLOR=\"").Append(HealthColours.Stroke(health))
                .Append("\" STYLE=\"rounded\">   </TD><TD ALIGN=\"LEFT\">").Append(health.Name()).Append("</TD></TR>");
        }

        foreach (var severity in new[] { Severity.Error, Severity.Warning })
        {
            text.Append("<TR><TD BORDER=\"3\" COLOR=\"").Append(HealthColours.FindingStroke(severity)).Append("\" STYLE=\"rounded\">   </TD><TD ALIGN=\"LEFT\">")
                .Append(GoalLabel.FindingMark).Append(' ').Append(severity.Name()).Append(" finding</TD></TR>");
        }

        text.Append("<TR><TD>──▶</TD><TD ALIGN=\"LEFT\">contributes (×weight)</TD></TR>")
            .Append("<TR><TD>- - ▶</TD><TD ALIGN=\"LEFT\">supports</TD></TR>")
            .Append("</TABLE>>];\n");
    }

    /// <summary>A DOT string: quotes and backslashes escaped (so no <c>\N</c>-style escape is made by accident), line breaks as <c>\n</c>.</summary>
    internal static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                _ when char.IsControl(c) => " ",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}

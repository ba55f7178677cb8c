using System.Globalization;
using System.Text;
using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// The alignment graph in Graphviz DOT: the same picture as <see cref="MermaidWriter"/> (children below parents,
/// dashed edges that support without contributing, weights where not 1, health fills, finding outlines).
/// </summary>
internal static class DotWriter
{
    public static string Write(EvaluatedTree tree)
    {
        var text = new StringBuilder();
        var title = $"{tree.Document.Path} at {tree.AsOf.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture)}";
        foreach (var finding in tree.DocumentFindings) title += $"\n{GoalLabel.FindingMark} {finding.Code.Name()} (document): {finding.Message}";
        text.Append("digraph alignment {\n");
        text.Append("  graph [rankdir=BT, labelloc=t, fontname=\"Helvetica\", label=").Append(Quote(title)).Append("];\n");
        text.Append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n");
        text.Append("  edge [fontname=\"Helvetica\", fontsize=9];\n");

        var nodes = NodeIds.For(tree.Goals);
        foreach (var goal in tree.Goals)
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

        foreach (var goal in tree.Goals)
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

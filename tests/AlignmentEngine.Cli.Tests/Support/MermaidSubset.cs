using System.Text.RegularExpressions;

namespace AlignmentEngine.Cli.Tests.Support;

/// <summary>
/// A parser for the subset of Mermaid flowchart syntax <c>okr render --format mermaid</c> writes. There is no
/// Mermaid CLI on our machines (mermaid-cli downloads a browser of its own), so the tests check the output
/// structurally instead: the header, then only node, edge, classDef, class and comment lines, and subgraphs (not nested)
/// of node and edge lines; every quoted label free of a raw quote; every node used by an edge or a class declared once;
/// every class used defined. The nodes and edges of a subgraph are its own, not the diagram's.
/// Anything else is a parse error, as it would be for Mermaid.
/// </summary>
internal static partial class MermaidSubset
{
    public sealed record Diagram(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(string From, string Arrow, string? Label, string To)> Edges,
        IReadOnlyDictionary<string, string> ClassDefs, IReadOnlyList<(string Node, string Class)> Classes, IReadOnlyList<string> Comments,
        IReadOnlyDictionary<string, Subgraph> Subgraphs);

    /// <summary>A <c>subgraph ID</c> ... <c>end</c> block: the nodes declared and the edges drawn inside it.</summary>
    public sealed record Subgraph(Dictionary<string, string> Labels, List<(string From, string Arrow, string? Label, string To)> Edges);

    public static Diagram Parse(string text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var edges = new List<(string, string, string?, string)>();
        var classDefs = new Dictionary<string, string>(StringComparer.Ordinal);
        var classes = new List<(string, string)>();
        var comments = new List<string>();
        var subgraphs = new Dictionary<string, Subgraph>(StringComparer.Ordinal);
        Subgraph? open = null;
        var allLabels = new Dictionary<string, string>(StringComparer.Ordinal);
        var header = false;
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("%%", StringComparison.Ordinal))
            {
                comments.Add(line[2..].Trim());
                continue;
            }

            if (!header)
            {
                if (line is not ("flowchart BT" or "flowchart TD")) throw new FormatException($"line {number}: expected 'flowchart BT', got '{line}'");
                header = true;
                continue;
            }

            Match m;
            if ((m = NodeLine().Match(line)).Success)
            {
                if (!allLabels.TryAdd(m.Groups["id"].Value, m.Groups["label"].Value)) throw new FormatException($"line {number}: node {m.Groups["id"].Value} declared twice");
                (open?.Labels ?? labels).Add(m.Groups["id"].Value, m.Groups["label"].Value);
            }
            else if ((m = EdgeLine().Match(line)).Success)
            {
                (open?.Edges ?? edges).Add((m.Groups["from"].Value, m.Groups["arrow"].Value, m.Groups["label"].Success ? m.Groups["label"].Value : null, m.Groups["to"].Value));
            }
            else if ((m = SubgraphLine().Match(line)).Success)
            {
                if (open is not null) throw new FormatException($"line {number}: a subgraph inside a subgraph is not in the subset");
                open = new Subgraph(new(StringComparer.Ordinal), []);
                if (!subgraphs.TryAdd(m.Groups["id"].Value, open)) throw new FormatException($"line {number}: subgraph {m.Groups["id"].Value} declared twice");
            }
            else if (line == "end")
            {
                if (open is null) throw new FormatException($"line {number}: 'end' outside a subgraph");
                open = null;
            }
            else if (open is not null)
            {
                throw new FormatException($"line {number}: only node and edge lines go inside a subgraph in the subset: '{line}'");
            }
            else if ((m = ClassDefLine().Match(line)).Success)
            {
                classDefs[m.Groups["name"].Value] = m.Groups["style"].Value;
            }
            else if ((m = ClassLine().Match(line)).Success)
            {
                foreach (var node in m.Groups["nodes"].Value.Split(',')) classes.Add((node, m.Groups["name"].Value));
            }
            else
            {
                throw new FormatException($"line {number}: not a line of the flowchart subset: '{line}'");
            }
        }

        if (!header) throw new FormatException("no 'flowchart' header");
        if (open is not null) throw new FormatException("a subgraph is not closed with 'end'");
        foreach (var (from, _, _, to) in edges.Concat(subgraphs.Values.SelectMany(g => g.Edges)))
        {
            if (!allLabels.ContainsKey(from) || !allLabels.ContainsKey(to)) throw new FormatException($"edge {from} → {to} uses an undeclared node");
        }

        foreach (var (node, name) in classes)
        {
            if (!allLabels.ContainsKey(node)) throw new FormatException($"class {name} on undeclared node {node}");
            if (!classDefs.ContainsKey(name)) throw new FormatException($"class {name} is not defined");
        }

        return new Diagram(labels, edges, classDefs, classes, comments, subgraphs);
    }

    /// <summary>Undoes the <c>#name;</c> entities Mermaid reads in labels, for comparing label text.</summary>
    public static string Decode(string label) =>
        Entity().Replace(label, m => m.Groups[1].Value switch
        {
            "quot" => "\"",
            "lt" => "<",
            "gt" => ">",
            "amp" => "&",
            var n when int.TryParse(n, out var code) => char.ConvertFromUtf32(code),
            var n => throw new FormatException($"unknown entity #{n};"),
        });

    [GeneratedRegex("""^(?<id>[A-Za-z][A-Za-z0-9_]*)\["(?<label>[^"]*)"\]$""")]
    private static partial Regex NodeLine();

    [GeneratedRegex("""^(?<from>[A-Za-z][A-Za-z0-9_]*) (?<arrow>-->|-\.->)(\|(?<label>[^|"]+)\|)? (?<to>[A-Za-z][A-Za-z0-9_]*)$""")]
    private static partial Regex EdgeLine();

    [GeneratedRegex("""^classDef (?<name>[A-Za-z_][A-Za-z0-9_]*) (?<style>[a-z-]+:[#A-Za-z0-9.]+(,[a-z-]+:[#A-Za-z0-9.]+)*)$""")]
    private static partial Regex ClassDefLine();

    [GeneratedRegex("""^class (?<nodes>[A-Za-z][A-Za-z0-9_]*(,[A-Za-z][A-Za-z0-9_]*)*) (?<name>[A-Za-z_][A-Za-z0-9_]*)$""")]
    private static partial Regex ClassLine();

    [GeneratedRegex("^subgraph (?<id>[A-Za-z][A-Za-z0-9_]*)$")]
    private static partial Regex SubgraphLine();

    [GeneratedRegex("#([A-Za-z]+|[0-9]+);")]
    private static partial Regex Entity();
}

using System.Text.RegularExpressions;

namespace AlignmentEngine.Cli.Tests.Support;

/// <summary>
/// A parser for the subset of Mermaid flowchart syntax <c>okr render --format mermaid</c> writes. There is no
/// Mermaid CLI on our machines (mermaid-cli downloads a browser of its own), so the tests check the output
/// structurally instead: the header, then only node, edge, classDef, class and comment lines; every quoted label
/// free of a raw quote; every node used by an edge or a class declared once; every class used defined.
/// Anything else is a parse error, as it would be for Mermaid.
/// </summary>
internal static partial class MermaidSubset
{
    public sealed record Diagram(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(string From, string Arrow, string? Label, string To)> Edges,
        IReadOnlyDictionary<string, string> ClassDefs, IReadOnlyList<(string Node, string Class)> Classes, IReadOnlyList<string> Comments);

    public static Diagram Parse(string text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var edges = new List<(string, string, string?, string)>();
        var classDefs = new Dictionary<string, string>(StringComparer.Ordinal);
        var classes = new List<(string, string)>();
        var comments = new List<string>();
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
                if (!labels.TryAdd(m.Groups["id"].Value, m.Groups["label"].Value)) throw new FormatException($"line {number}: node {m.Groups["id"].Value} declared twice");
            }
            else if ((m = EdgeLine().Match(line)).Success)
            {
                edges.Add((m.Groups["from"].Value, m.Groups["arrow"].Value, m.Groups["label"].Success ? m.Groups["label"].Value : null, m.Groups["to"].Value));
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
        foreach (var (from, _, _, to) in edges)
        {
            if (!labels.ContainsKey(from) || !labels.ContainsKey(to)) throw new FormatException($"edge {from} → {to} uses an undeclared node");
        }

        foreach (var (node, name) in classes)
        {
            if (!labels.ContainsKey(node)) throw new FormatException($"class {name} on undeclared node {node}");
            if (!classDefs.ContainsKey(name)) throw new FormatException($"class {name} is not defined");
        }

        return new Diagram(labels, edges, classDefs, classes, comments);
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

    [GeneratedRegex("#([A-Za-z]+|[0-9]+);")]
    private static partial Regex Entity();
}

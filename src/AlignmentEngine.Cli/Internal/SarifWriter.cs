using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr validate --format sarif</c>: the findings as SARIF 2.1.0, so code-scanning views (GitHub, GitLab, Azure
/// DevOps) annotate the goal file at the line and column of each goal. One rule per finding code, every code
/// listed so that a rule's id stays at the same index whatever a run finds.
/// </summary>
internal static class SarifWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(EvaluatedTree tree)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("$schema", SchemaUri);
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            WriteTool(json);
            var uri = ArtifactUri(tree.Document.Path);
            json.WriteStartArray("artifacts");
            json.WriteStartObject();
            json.WriteStartObject("location");
            json.WriteString("uri", uri);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            WriteResults(json, tree, uri);
            json.WriteStartObject("properties");
            json.WriteString("as_of", tree.AsOf.ToString("yyyy'-'MM'-'dd", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteBoolean("valid", tree.Report.Valid);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>SARIF's levels: the spec's info is SARIF's note.</summary>
    public static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    /// <summary>
    /// A relative path stays relative (code scanning resolves it against the checkout), with forward slashes and
    /// each segment percent-encoded; an absolute path becomes a <c>file:</c> URI.
    /// </summary>
    public static string ArtifactUri(string path)
    {
        if (Path.IsPathFullyQualified(path)) return new Uri(path).AbsoluteUri;
        var segments = path.Replace('\\', '/').Split('/');
        return string.Join('/', segments.Select(s => s is "." or ".." ? s : Uri.EscapeDataString(s)));
    }

    private static void WriteTool(Utf8JsonWriter json)
    {
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "okr");
        json.WriteString("fullName", "okr validate (AlignmentEngine)");
        json.WriteStartArray("rules");
        foreach (var code in Enum.GetValues<FindingCode>())
        {
            json.WriteStartObject();
            json.WriteString("id", code.Name());
            json.WriteStartObject("shortDescription");
            json.WriteString("text", FindingDescriptions.Of(code));
            json.WriteEndObject();
            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", Level(code.Severity()));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteResults(Utf8JsonWriter json, EvaluatedTree tree, string uri)
    {
        var positions = tree.FindingPositions();
        json.WriteStartArray("results");
        for (var i = 0; i < tree.Report.Findings.Count; i++)
        {
            var finding = tree.Report.Findings[i];
            json.WriteStartObject();
            json.WriteString("ruleId", finding.Code.Name());
            json.WriteNumber("ruleIndex", (int)finding.Code);
            json.WriteString("level", Level(finding.Severity));
            json.WriteStartObject("message");
            json.WriteString("text", finding.Message.Length > 0 ? finding.Message : FindingDescriptions.Of(finding.Code));
            json.WriteEndObject();
            json.WriteStartArray("locations");
            WriteLocation(json, uri, positions[i], finding.Goal);
            json.WriteEndArray();

            var related = finding.Related.Where(tree.Contains).ToArray();
            if (related.Length > 0)
            {
                json.WriteStartArray("relatedLocations");
                for (var r = 0; r < related.Length; r++) WriteLocation(json, uri, tree.PositionOf(related[r]), related[r], r + 1);
                json.WriteEndArray();
            }

            json.WriteStartObject("properties");
            json.WriteString("goal", finding.Goal);
            json.WriteStartArray("related");
            foreach (var id in finding.Related) json.WriteStringValue(id);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteLocation(Utf8JsonWriter json, string uri, SourcePosition position, string goal, int? id = null)
    {
        json.WriteStartObject();
        if (id is { } number) json.WriteNumber("id", number);
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", uri);
        json.WriteNumber("index", 0);
        json.WriteEndObject();
        json.WriteStartObject("region");
        json.WriteNumber("startLine", position.Line);
        json.WriteNumber("startColumn", position.Column);
        json.WriteEndObject();
        json.WriteEndObject();
        if (goal.Length > 0)
        {
            json.WriteStartArray("logicalLocations");
            json.WriteStartObject();
            json.WriteString("name", goal);
            json.WriteString("kind", "object");
            json.WriteEndObject();
            json.WriteEndArray();
            if (id is not null)
            {
                json.WriteStartObject("message");
                json.WriteString("text", $"related goal {goal}");
                json.WriteEndObject();
            }
        }

        json.WriteEndObject();
    }
}

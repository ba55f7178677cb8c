using System.Globalization;
using System.Text;
using System.Xml;
using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr validate --format junit</c>: one test case per goal (plus one per finding about no goal, such as the
/// document's default period), so test-report views (GitLab, Jenkins, Azure DevOps) list every goal and fail
/// those with findings at or above <c>--fail-on</c>. Less severe findings are kept in the case's output;
/// excluded goals without a failure are skipped, since they count for nothing.
/// </summary>
internal static class JUnitWriter
{
    public static string Write(EvaluatedTree tree, Severity failOn)
    {
        var path = tree.Document.Path;
        var cases = tree.Goals.Select(g => (Name: g.Id, Position: tree.PositionOf(g.Id), Findings: tree.FindingsOf(g.Id), Goal: (GoalDefinition?)g))
            .Concat(tree.DocumentFindings.Select(f => (Name: $"(document) {f.Code.Name()}", Position: SourcePosition.FileStart, Findings: (IReadOnlyList<Finding>)[f], Goal: (GoalDefinition?)null)))
            .ToArray();
        var failures = cases.Count(c => c.Findings.Any(f => GoalFileCheck.AtOrAbove(f, failOn)));
        var skipped = cases.Count(c => c.Goal is { } goal && !goal.State.IsCounted() && !c.Findings.Any(f => GoalFileCheck.AtOrAbove(f, failOn)));

        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", "okr validate");
            WriteCounts(xml, cases.Length, failures, skipped);
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", Clean(path));
            WriteCounts(xml, cases.Length, failures, skipped);
            xml.WriteStartElement("properties");
            WriteProperty(xml, "as_of", tree.AsOf.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture));
            WriteProperty(xml, "valid", tree.Report.Valid ? "true" : "false");
            WriteProperty(xml, "fail_on", failOn.Name());
            xml.WriteEndElement();
            foreach (var (name, position, findings, goal) in cases) WriteCase(xml, path, name, position, findings, goal, failOn);
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteCase(XmlWriter xml, string path, string name, SourcePosition position, IReadOnlyList<Finding> findings, GoalDefinition? goal, Severity failOn)
    {
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("classname", Clean(path));
        xml.WriteAttributeString("name", Clean(name));
        xml.WriteAttributeString("file", Clean(path));
        xml.WriteAttributeString("line", position.Line.ToString(CultureInfo.InvariantCulture));
        var failing = findings.Where(f => GoalFileCheck.AtOrAbove(f, failOn)).ToArray();
        var passing = findings.Where(f => !GoalFileCheck.AtOrAbove(f, failOn)).ToArray();
        if (failing.Length > 0)
        {
            // One failure element per case: the JUnit schema allows no more, so a goal's failing findings share it.
            xml.WriteStartElement("failure");
            xml.WriteAttributeString("message", Clean(failing.Length == 1 ? Line(failing[0]) : $"{failing.Length} findings: {string.Join(", ", failing.Select(f => f.Code.Name()))}"));
            xml.WriteAttributeString("type", failing[0].Code.Name());
            xml.WriteString(Clean(string.Join('\n', failing.Select(f => $"{path}:{position.Line}:{position.Column}: {Line(f)}"))));
            xml.WriteEndElement();
        }
        else if (goal is { } excluded && !excluded.State.IsCounted())
        {
            xml.WriteStartElement("skipped");
            xml.WriteAttributeString("message", $"{excluded.State.Name()}: excluded goals count for nothing");
            xml.WriteEndElement();
        }

        if (passing.Length > 0) xml.WriteElementString("system-out", Clean(string.Join('\n', passing.Select(Line))));
        xml.WriteEndElement();
    }

    private static void WriteCounts(XmlWriter xml, int tests, int failures, int skipped)
    {
        xml.WriteAttributeString("tests", tests.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", failures.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", "0");
        xml.WriteAttributeString("skipped", skipped.ToString(CultureInfo.InvariantCulture));
    }

    private static void WriteProperty(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", value);
        xml.WriteEndElement();
    }

    private static string Line(Finding finding) => $"{finding.Severity.Name()} {finding}";

    /// <summary>XML 1.0 cannot carry every character a title may hold (most control characters): those become U+FFFD.</summary>
    private static string Clean(string text)
    {
        if (text.All(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c))) return text;
        return new string([.. text.Select(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD')]);
    }
}

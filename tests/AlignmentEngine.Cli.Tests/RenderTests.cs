using System.Xml.Linq;
using AlignmentEngine.Cli.Tests.Support;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Cli.Tests;

public sealed class RenderTests
{
    [Test]
    public void Mermaid_SmallCompany_ParsesWithEveryGoalEdgeAndMark()
    {
        var run = OkrProcess.RunDll("render", Examples.SmallCompany, "--format", "mermaid");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var diagram = MermaidSubset.Parse(run.StandardOutput);
        var byId = diagram.Labels.ToDictionary(l => MermaidSubset.Decode(l.Value).Split("<br/>")[0].Replace("⚠ ", "", StringComparison.Ordinal), l => l.Key);
        byId.Keys.Should().HaveCount(16).And.Contain(["C1", "C1.KR1", "ENG", "ENG.KR3", "HACKWEEK", "SUCCESS.KR2"]);
        MermaidSubset.Decode(diagram.Labels[byId["C1"]]).Should().Be("C1<br/>Grow recurring revenue<br/>68 % · on_track");

        // 16 goals, 3 roots (C1, C2, HACKWEEK), SUCCESS and ENG with two parents each: 15 edges, child → parent.
        diagram.Edges.Should().HaveCount(15);
        diagram.Edges.Should().Contain((byId["ENG"], "-->", "×2", byId["C2.KR2"]), "weights other than 1 are labelled");
        diagram.Edges.Should().Contain((byId["ENG"], "-.->", "supports", byId["C1.KR2"]), "non-contributing edges are dotted");
        diagram.Edges.Should().Contain((byId["SALES-EU"], "-->", null, byId["C1.KR1"]));

        diagram.Classes.Should().Contain((byId["HACKWEEK"], "warning_finding")).And.Contain((byId["HACKWEEK"], "off_track"));
        diagram.Classes.Should().NotContain(c => c.Node == byId["C1"] && c.Class.EndsWith("_finding", StringComparison.Ordinal));
        diagram.Labels[byId["HACKWEEK"]].Should().StartWith("⚠ HACKWEEK").And.Contain("ORPHANED_GOAL, UNSUPPORTED_GOAL");
        diagram.ClassDefs["on_track"].Should().Contain("fill:#c8e6c9");
    }

    [Test]
    public void Mermaid_Legend_ShowsEveryHealthColourBothOutlinesAndBothEdges()
    {
        var run = OkrProcess.RunDll("render", Examples.SmallCompany, "--format", "mermaid");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var diagram = MermaidSubset.Parse(run.StandardOutput);
        var legend = diagram.Subgraphs["legend"];
        var byLabel = legend.Labels.ToDictionary(l => MermaidSubset.Decode(l.Value), l => l.Key);
        foreach (var health in new[] { "inactive", "no_period", "not_started", "achieved", "on_track", "at_risk", "off_track" })
        {
            diagram.Classes.Should().Contain((byLabel[health], health));
            diagram.ClassDefs[health].Should().StartWith("fill:#");
        }

        diagram.ClassDefs["at_risk"].Should().Contain("fill:#fff59d", "the legend's swatch is the goals' colour");
        diagram.Classes.Should().Contain((byLabel["⚠ error finding"], "error_finding")).And.Contain((byLabel["⚠ warning finding"], "warning_finding"));
        legend.Edges.Should().BeEquivalentTo([
            (byLabel["child"], "-->", "contributes ×weight", byLabel["parent"]),
            (byLabel["child"], "-.->", "supports", byLabel["parent"]),
        ]);
        diagram.Labels.Keys.Should().NotIntersectWith(legend.Labels.Keys, "the legend's nodes are not goals");
    }

    [Test]
    public void Mermaid_HostileIdsAndTitles_AreEscapedAndSurviveDecoding()
    {
        using var file = new TempGoalFile(Examples.Hostile);

        var run = OkrProcess.RunDll("render", file.Path);

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var diagram = MermaidSubset.Parse(run.StandardOutput);
        var labels = diagram.Labels.Values.Select(MermaidSubset.Decode).ToArray();
        labels.Should().Contain(l => l.StartsWith("end<br/>" + Examples.HostileTitle + "<br/>", StringComparison.Ordinal));
        labels.Should().Contain(l => l.StartsWith("a \"quoted\" id<br/>", StringComparison.Ordinal));
        labels.Should().Contain(l => l.StartsWith("x<y>&z#1;<br/>", StringComparison.Ordinal));
        diagram.Edges.Should().HaveCount(2);
    }

    [Test]
    public void Mermaid_InvalidTree_ShowsGoalsWithoutRollupAndMarksErrors()
    {
        var run = OkrProcess.RunDll("render", Path.Combine(RepoPaths.Conformance, "04-invalid.yaml"));

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var diagram = MermaidSubset.Parse(run.StandardOutput);
        diagram.Labels.Should().HaveCount(5, "D is defined twice, shown once");
        diagram.Labels.Values.Should().OnlyContain(l => l.Contains("no roll-up", StringComparison.Ordinal));
        diagram.Classes.Select(c => c.Class).Should().Contain("error_finding");
    }

    [Test]
    public void Dot_SmallCompany_ParsesWithGraphviz()
    {
        var dot = RenderTools.Dot;
        var run = OkrProcess.RunDll("render", Examples.SmallCompany, "--format", "dot");
        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());

        var svg = ExternalProcess.Run(dot, ["-Tsvg"], run.StandardOutput);

        svg.ExitCode.Should().Be(0, svg.ToString());
        svg.StandardError.Should().BeEmpty("Graphviz warns about syntax it has to guess at");
        var texts = SvgTexts(svg.StandardOutput);
        texts.Should().Contain(["C1", "Grow recurring revenue", "68 % · on_track", "⚠ HACKWEEK", "×2", "supports"]);
    }

    [Test]
    public void Dot_HostileIdsAndTitles_ParseWithGraphvizAndKeepTheirText()
    {
        var dot = RenderTools.Dot;
        using var file = new TempGoalFile(Examples.Hostile);
        var run = OkrProcess.RunDll("render", file.Path, "--format", "dot");

        var svg = ExternalProcess.Run(dot, ["-Tsvg"], run.StandardOutput);

        svg.ExitCode.Should().Be(0, svg.ToString());
        SvgTexts(svg.StandardOutput).Should().Contain([Examples.HostileTitle, "a \"quoted\" id", "x<y>&z#1;", "end"]);
    }

    [Test]
    public void Svg_WithGraphviz_WritesAnSvgFile()
    {
        _ = RenderTools.Dot;
        var output = Path.Combine(Path.GetTempPath(), $"okr-render-{Guid.NewGuid():N}.svg");
        try
        {
            var run = OkrProcess.RunDll("render", Examples.SmallCompany, "--format", "svg", "-o", output);

            run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
            run.StandardOutput.Should().BeEmpty();
            XDocument.Load(output).Root!.Name.LocalName.Should().Be("svg");
            SvgTexts(File.ReadAllText(output)).Should().Contain("⚠ ENG.KR3", "ENG.KR3 has a PERIOD_MISMATCH");
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Test]
    public void Svg_WithoutGraphviz_ExitsTwoSayingWhatToDo()
    {
        var empty = Directory.CreateTempSubdirectory("okr-no-dot-");
        try
        {
            var run = OkrProcess.RunDllWith(new Dictionary<string, string?> { ["PATH"] = empty.FullName }, "render", Examples.SmallCompany, "--format", "svg");

            run.ExitCode.Should().Be(ExitCodes.Usage, run.ToString());
            run.StandardOutput.Should().BeEmpty();
            run.StandardError.Should().Contain("Graphviz 'dot' was not found on PATH: install graphviz (apt-get install graphviz) or use --format dot");
        }
        finally
        {
            empty.Delete();
        }
    }

    [Test]
    public void Render_UnknownFormat_IsAUsageError()
    {
        var run = OkrProcess.RunDll("render", Examples.SmallCompany, "--format", "png");

        run.ExitCode.Should().Be(ExitCodes.Usage, run.ToString());
    }

    [Test]
    public void Mermaid_RootAndDepth_DrawsThatSubtreeAndSaysWhatWasLeftOut()
    {
        var run = OkrProcess.RunDll("render", Examples.SmallCompany, "--root", "C1", "--depth", "1");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var diagram = MermaidSubset.Parse(run.StandardOutput);
        diagram.Labels.Values.Select(l => MermaidSubset.Decode(l).Split("<br/>")[0].Replace("⚠ ", "", StringComparison.Ordinal)).Should().BeEquivalentTo(["C1", "C1.KR1", "C1.KR2"]);
        diagram.Comments.Should().Contain("3 of 8 goals drawn (1 level below 'C1'); 5 deeper goals left out: draw a subtree with --root ID --depth N");
    }

    [Test]
    public void Mermaid_SmallTree_DrawsEverythingWithoutANote()
    {
        var run = OkrProcess.RunDll("render", Examples.SmallCompany);

        MermaidSubset.Parse(run.StandardOutput).Comments.Should().NotContain(c => c.Contains("left out", StringComparison.Ordinal));
    }

    private static string[] SvgTexts(string svg) =>
        [.. XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value)];
}

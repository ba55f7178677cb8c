using System.Text.RegularExpressions;
using System.Xml.Linq;
using AlignmentEngine.Cli.Internal;
using AlignmentEngine.Cli.Tests.Support;
using AlignmentEngine.Synthetic;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Tests;

/// <summary>
/// The report and the SVG as a reader meets them, at 16 goals (examples/small-company.yaml) and at 3,000 (a
/// generated organisation), screenshotted in headless Chromium into .test-output/screenshots/; and the report
/// of a million goals, which must still open.
/// </summary>
[NonParallelizable]
public sealed partial class LargeTreeTests
{
    private static string? _organisation;

    /// <summary>A generated organisation of 3,000 goals, written once by okr generate.</summary>
    private static string Organisation
    {
        get
        {
            if (_organisation is not null) return _organisation;
            var path = Path.Combine(Path.GetTempPath(), $"okr-3000-{Guid.NewGuid():N}.yaml");
            var run = OkrProcess.RunDll("generate", "--goals", "3000", "-o", path);
            run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
            return _organisation = path;
        }
    }

    [OneTimeTearDown]
    public void RemoveOrganisation()
    {
        if (_organisation is not null) File.Delete(_organisation);
    }

    [TestCase(16)]
    [TestCase(3000)]
    public void Report_Screenshot_ShowsBarsInOneColumn(int goals)
    {
        var page = WritePage("report", goals == 16 ? Examples.SmallCompany : Organisation, ".html");
        try
        {
            var png = Chromium.Screenshot(page, $"report-{goals}.png", 1600, 1000);

            (png.Width, png.Height).Should().Be((1600, 1000));
            png.DistinctColours().Should().BeGreaterThan(50, "a blank or single-colour page is no report");
            png.Count(0x2e, 0x7d, 0x32).Should().BeGreaterThan(500, "on_track bars");
            png.Count(0xc6, 0x28, 0x28).Should().BeGreaterThan(20, "off_track bars or marks");
        }
        finally
        {
            File.Delete(page);
        }
    }

    [TestCase(16)]
    [TestCase(3000)]
    public void Svg_Screenshot_IsReadableWithALegend(int goals)
    {
        _ = RenderTools.Dot;
        var svg = WritePage("render", goals == 16 ? Examples.SmallCompany : Organisation, ".svg", "--format", "svg");
        try
        {
            var root = XDocument.Load(svg).Root!;
            var width = double.Parse(root.Attribute("width")!.Value.Replace("pt", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
            width.Should().BeLessThan(2_500, "a picture wider than a few screens cannot be read (3,000 goals once made 308,250 pt)");
            var texts = root.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToArray();
            texts.Should().Contain(["legend", "on_track", "off_track", "supports", "contributes (×weight)", "⚠ error finding"]);
            if (goals > RenderScope.MaxDrawn) texts.Should().Contain(t => t.Contains("deeper goals left out: draw a subtree with --root ID --depth N", StringComparison.Ordinal));

            var png = Chromium.Screenshot(svg, $"render-{goals}.png", 1600, 1000);

            (png.Width, png.Height).Should().Be((1600, 1000));
            png.DistinctColours().Should().BeGreaterThan(20, "a blank picture draws nothing");
            png.Count(0xc8, 0xe6, 0xc9).Should().BeGreaterThan(500, "on_track fills");
        }
        finally
        {
            File.Delete(svg);
        }
    }

    [Test]
    public void Report_ThreeThousandGoals_OpensToAScreenfulWithCountsAndFilters()
    {
        var page = WritePage("report", Organisation, ".html");
        try
        {
            var html = File.ReadAllText(page);
            html.Should().Contain("3,000 goals").And.Contain("id=\"search\"").And.Contain("id=\"filter-owner\"").And.Contain("id=\"filter-health\"").And.Contain("id=\"filter-level\"");
            var open = Regex.Matches(html, "<details open>").Count;
            var closed = Regex.Matches(html, "<details>").Count;
            open.Should().BeGreaterThan(0).And.BeLessThan(HtmlReportWriter.OpenRows, "only the top levels are open");
            closed.Should().BeGreaterThan(0, "deeper branches are folded");
            html.Should().MatchRegex(@"<span class=""count"">[\d,]+ below</span>");
            html.Should().MatchRegex(@"class=""value"">[\d,.]+ of [\d,.]+ k\$<", "key results show value of target with the unit");
        }
        finally
        {
            File.Delete(page);
        }
    }

    [Test]
    public void Report_MillionGoals_PageIsBoundedAndOpensInChromium()
    {
        _ = RenderTools.Chromium;

        // Goal files stop at 64 MiB (about 400,000 goals), so the million-goal tree is evaluated in process.
        var tree = OrganisationGenerator.Generate(1_000_000, 1);
        var document = new GoalTreeDocument(tree, [.. Enumerable.Repeat(SourcePosition.FileStart, tree.Goals.Count)], "generated-1m.yaml");
        var html = HtmlReportWriter.Write(EvaluatedTree.Evaluate(document, null));
        var page = Path.Combine(Chromium.OutputFolder, "report-1m.html");
        File.WriteAllText(page, html);

        new FileInfo(page).Length.Should().BeLessThan(16 * 1024 * 1024, "a page of tens of megabytes opens slowly, if at all, on a laptop");
        html.Should().Contain("1,000,000 goals").And.Contain("goals listed here (the top levels)");
        html.Should().Contain("more goals below (not listed in this page");

        var dom = Chromium.DumpDom(page);
        dom.Should().Contain("id=\"coverage-overall\"", "the page rendered to its end");
        Regex.Matches(dom, "data-goal=").Count.Should().BeGreaterThan(1_000).And.BeLessThanOrEqualTo(HtmlReportWriter.MaxRows);
    }

    private static string WritePage(string command, string goalFile, string extension, params string[] extra)
    {
        var output = Path.Combine(Path.GetTempPath(), $"okr-{command}-{Guid.NewGuid():N}{extension}");
        var run = OkrProcess.RunDll([command, goalFile, "-o", output, .. extra]);
        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        return output;
    }
}

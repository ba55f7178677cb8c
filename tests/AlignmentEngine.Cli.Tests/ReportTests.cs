using System.Text.RegularExpressions;
using AlignmentEngine.Cli.Tests.Support;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Cli.Tests;

public sealed partial class ReportTests
{
    private static readonly string[] ChromiumFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    [Test]
    public void Report_SmallCompany_IsSelfContainedWithEveryPart()
    {
        var html = Report(Examples.SmallCompany);

        ExternalReference().Matches(html).Select(m => m.Value).Should().BeEmpty("the page must open with no network");
        html.Should().NotContainAny("<script src", "<link", "@import", "url(", "<iframe", "<img", "fetch(", "XMLHttpRequest");
        Regex.Matches(html, "<script>").Count.Should().Be(1, "the filters' script is inline");
        foreach (var id in new[] { "C1", "C1.KR1", "SALES-EU", "ENG.KR3", "HACKWEEK", "SUCCESS.KR2" }) html.Should().Contain($"data-goal=\"{id}\"");
        html.Should().Contain("<details open>").And.Contain("class=\"bar\"").And.Contain("class=\"pace\"");
        html.Should().Contain("19 pts ahead of pace", "C1 is at 68 % against an expected 49 %");
        html.Should().Contain("93 %: 14 of 15 counted goals are anchored", "HACKWEEK is the one orphan; the draft is not counted");
        html.Should().Contain("<tr><td>team</td><td>0</td><td>1</td>");

        // Every in-page link lands on an element of the page.
        var ids = ElementId().Matches(html).Select(m => m.Groups[1].Value).ToHashSet();
        LocalLink().Matches(html).Select(m => m.Groups[1].Value).Should().OnlyContain(target => ids.Contains(target));
    }

    [Test]
    public void Report_SmallCompany_KeyResultsShowValueOfTargetWithUnit_AndCountsReadAsEnglish()
    {
        var html = Report(Examples.SmallCompany);

        html.Should().Contain("16 goals").And.Contain("0 errors").And.Contain("4 warnings").And.Contain("0 info");
        Row(html, "SALES-EU").Should().Contain("<span class=\"value\">16 of 20 M$</span>");
        Row(html, "C1.KR1").Should().Contain("<span class=\"value\">37 of 50 M$</span>", "a cascaded sum's value is read back from its attainment");
        Row(html, "SUCCESS.KR2").Should().Contain("<span class=\"value\">not done</span>");
        Row(html, "C1").Should().Contain("<span class=\"value\"></span>", "an objective has no metric");
    }

    [Test]
    public void Report_InvalidTree_CountsEveryGoalOfTheFileAsValidateDoes()
    {
        var vector = Path.Combine(RepoPaths.Conformance, "04-invalid.yaml");

        Report(vector).Should().Contain("6 goals").And.Contain("5 errors");
        OkrProcess.RunDll("validate", vector).StandardOutput.Should().Contain("invalid, 6 goals");
    }

    [Test]
    public void Report_Compare_ShowsEachGoalsChangeInProgress()
    {
        using var before = new TempGoalFile("as_of: 2026-10-15\nperiod: { start: 2026-10-01, end: 2026-12-31 }\ngoals:\n" +
            "  - { id: C1, type: objective, level: company }\n  - { id: KR, type: key_result, parents: [C1], metric: { direction: increase, target: 10, current: 2 } }\n");
        using var after = new TempGoalFile("as_of: 2026-11-15\nperiod: { start: 2026-10-01, end: 2026-12-31 }\ngoals:\n" +
            "  - { id: C1, type: objective, level: company }\n  - { id: KR, type: key_result, parents: [C1], metric: { direction: increase, target: 10, current: 5 } }\n" +
            "  - { id: NEW, type: key_result, parents: [C1], metric: { direction: increase, target: 10, current: 1 } }\n");

        var run = OkrProcess.RunDll("report", after.Path, "--compare", before.Path);

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.StandardOutput.Should().Contain($"since {before.Path} at 2026-10-15");
        Row(run.StandardOutput, "KR").Should().Contain("▲ +30 pts");
        Row(run.StandardOutput, "C1").Should().Contain("▲ +10 pts", "C1 was KR's 20 %, and is now the mean of KR's 50 % and NEW's 10 %");
        Row(run.StandardOutput, "NEW").Should().Contain("<span class=\"trend\"></span>", "a goal that was not there has no trend");
    }

    [Test]
    public void Report_SinceGitRevision_ComparesWithTheFileAsCommitted()
    {
        var repo = Directory.CreateTempSubdirectory("okr-git-");
        try
        {
            var file = Path.Combine(repo.FullName, "goals.yaml");
            void Git(params string[] args) => ExternalProcess.Run("git", ["-C", repo.FullName, "-c", "user.name=t", "-c", "user.email=t@example.invalid", .. args]).ExitCode.Should().Be(0);
            Git("init", "-q");
            File.WriteAllText(file, "as_of: 2026-11-15\nperiod: { start: 2026-10-01, end: 2026-12-31 }\ngoals:\n  - { id: KR, type: key_result, level: company, metric: { direction: increase, target: 10, current: 6 } }\n");
            Git("add", "goals.yaml");
            Git("commit", "-q", "-m", "first");
            File.WriteAllText(file, File.ReadAllText(file).Replace("current: 6", "current: 4", StringComparison.Ordinal));

            var run = OkrProcess.RunDll("report", file, "--since", "HEAD");

            run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
            Row(run.StandardOutput, "KR").Should().Contain("▼ -20 pts");
            OkrProcess.RunDll("report", file, "--since", "no-such-rev").StandardError.Should().StartWith("okr report: --since no-such-rev: git cannot show");
        }
        finally
        {
            repo.Delete(recursive: true);
        }
    }

    [Test]
    public void Report_Chromium_FiltersFromTheAddressHideWhatDoesNotMatch()
    {
        var page = WriteReport(Examples.SmallCompany);
        try
        {
            var dom = Chromium.DumpDom(page, "health=off_track");

            dom.Should().Contain("2 matching", "ENG.KR2 and HACKWEEK are the example's off_track goals");
            var items = Regex.Matches(dom, "<li[^>]*data-health=\"([^\"]*)\"[^>]*>").Select(m => (Health: m.Groups[1].Value, Hidden: m.Value.Contains("hidden", StringComparison.Ordinal))).ToList();
            items.Should().HaveCount(16);
            items.Where(i => i.Health == "off_track").Should().OnlyContain(i => !i.Hidden);
            items.Count(i => i.Hidden).Should().BeGreaterThan(5, "goals that are not off_track and lead to none are hidden");
        }
        finally
        {
            File.Delete(page);
        }
    }

    [Test]
    public void Report_HostileText_IsHtmlEncoded()
    {
        using var file = new TempGoalFile(Examples.Hostile);

        var html = Report(file.Path);

        html.Should().NotContain("<script>alert").And.Contain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;");
        html.Should().Contain("data-goal=\"a &quot;quoted&quot; id\"").And.Contain("x&lt;y&gt;&amp;z#1;");
    }

    [Test]
    public void Report_InvalidTree_ListsTheErrorsAndSaysThereIsNoRollup()
    {
        var html = Report(Path.Combine(RepoPaths.Conformance, "04-invalid.yaml"));

        html.Should().Contain("invalid: not rolled up").And.Contain("ALIGNMENT_CYCLE").And.Contain("Not computed: the tree is invalid.");
    }

    [Test]
    public void Report_DeepChain_IsCutAtTheDisplayDepthAndStaysNested()
    {
        using var file = new TempGoalFile(GoalFileSamples.Chain(2_000));

        var html = Report(file.Path);

        html.Should().Contain($"… {2_000 - Internal.GoalHierarchy.MaxDepth} more goals below");
        Regex.Matches(html, "<details open>").Count.Should().Be(Regex.Matches(html, "</details>").Count).And.Be(Internal.GoalHierarchy.MaxDepth);
    }

    [Test]
    public void Report_Chromium_ScreenshotShowsTheTree()
    {
        var chromium = RenderTools.Chromium;
        var page = WriteReport(Examples.SmallCompany);
        var profile = Directory.CreateTempSubdirectory("okr-chromium-");
        var screenshot = Path.Combine(profile.FullName, "report.png");
        try
        {
            var run = ExternalProcess.Run(chromium,
                [.. ChromiumFlags, $"--user-data-dir={profile.FullName}", $"--screenshot={screenshot}", "--window-size=1280,2000", new Uri(page).AbsoluteUri],
                timeout: TimeSpan.FromMinutes(2));

            File.Exists(screenshot).Should().BeTrue(run.ToString());
            var png = Png.Read(File.ReadAllBytes(screenshot));
            (png.Width, png.Height).Should().Be((1280, 2000));
            png.DistinctColours().Should().BeGreaterThan(50, "a blank or single-colour page is no report");

            // The progress bars are solid blocks in the health strokes: on_track green, at_risk amber, off_track red.
            png.Count(0x2e, 0x7d, 0x32).Should().BeGreaterThan(500, "on_track bars");
            png.Count(0xf9, 0xa8, 0x25).Should().BeGreaterThan(300, "at_risk bars");
            png.Count(0xc6, 0x28, 0x28).Should().BeGreaterThan(20, "off_track marks");
        }
        finally
        {
            File.Delete(page);
            profile.Delete(recursive: true);
        }
    }

    [Test]
    public void Report_Chromium_DomHoldsTheTreeAfterLoad()
    {
        var chromium = RenderTools.Chromium;
        var page = WriteReport(Examples.SmallCompany);
        var profile = Directory.CreateTempSubdirectory("okr-chromium-");
        try
        {
            var run = ExternalProcess.Run(chromium, [.. ChromiumFlags, $"--user-data-dir={profile.FullName}", "--dump-dom", new Uri(page).AbsoluteUri],
                timeout: TimeSpan.FromMinutes(2));

            run.ExitCode.Should().Be(0, run.ToString());
            var dom = run.StandardOutput;
            Regex.Matches(dom, "<details open=\"\">").Count.Should().Be(7, "C1, C1.KR1, C1.KR2, SUCCESS, C2, C2.KR2 and ENG have children");
            dom.Should().Contain("data-goal=\"ENG.KR3\"").And.Contain("id=\"findings\"").And.Contain("id=\"coverage-owners\"");
        }
        finally
        {
            File.Delete(page);
            profile.Delete(recursive: true);
        }
    }

    private static string Report(string goalFile)
    {
        var run = OkrProcess.RunDll("report", goalFile);
        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        return run.StandardOutput;
    }

    private static string WriteReport(string goalFile)
    {
        var page = Path.Combine(Path.GetTempPath(), $"okr-report-{Guid.NewGuid():N}.html");
        var run = OkrProcess.RunDll("report", goalFile, "-o", page);
        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.StandardOutput.Should().BeEmpty();
        return page;
    }

    /// <summary>The row of one goal: from its data-goal to the end of its summary or list item.</summary>
    private static string Row(string html, string id)
    {
        var start = html.IndexOf($"data-goal=\"{id}\"", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, $"goal {id} is on the page");
        var ends = new[] { "</summary>", "</li>" }.Select(end => html.IndexOf(end, start, StringComparison.Ordinal)).Where(i => i > 0);
        return html[start..ends.Min()];
    }

    [GeneratedRegex("""(src|href|action|srcset)\s*=\s*["']?\s*([a-z]+:|//)""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex("\\bid=\"([^\"]+)\"")]
    private static partial Regex ElementId();

    [GeneratedRegex("href=\"#([^\"]+)\"")]
    private static partial Regex LocalLink();
}

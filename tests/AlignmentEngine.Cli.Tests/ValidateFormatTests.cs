using System.Text.Json;
using System.Xml.Linq;
using AlignmentEngine.Cli.Tests.Support;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Cli.Tests;

public sealed class ValidateFormatTests
{
    private static string Invalid => Path.Combine(RepoPaths.Conformance, "04-invalid.yaml");

    [Test]
    public void Sarif_SmallCompany_HasTheSchemasRequiredFieldsAndPointsAtEachGoal()
    {
        var run = OkrProcess.RunDll("validate", Examples.SmallCompany, "--format", "sarif");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var results = SarifResults(run.StandardOutput);
        results.Select(r => (r.RuleId, r.Goal)).Should().Equal(
            ("ORPHANED_GOAL", "HACKWEEK"), ("PERIOD_MISMATCH", "ENG.KR3"), ("TARGET_SHORTFALL", "C1.KR1"), ("UNSUPPORTED_GOAL", "HACKWEEK"));
        results.Should().OnlyContain(r => r.Level == "warning" && r.Uri.EndsWith("examples/small-company.yaml", StringComparison.Ordinal));
        foreach (var result in results)
        {
            result.Line.Should().Be(Examples.LineOf(Examples.SmallCompany, result.Goal), result.Goal);
            result.Column.Should().Be(5, "block goals start after '  - '");
        }
    }

    [Test]
    public void Sarif_InvalidTree_ErrorsWithTheRepeatedIdAtItsRepeat()
    {
        var run = OkrProcess.RunDll("validate", Invalid, "--format", "sarif");

        run.ExitCode.Should().Be(ExitCodes.Findings, run.ToString());
        var results = SarifResults(run.StandardOutput);
        results.Should().HaveCount(5).And.OnlyContain(r => r.Level == "error");
        results.Single(r => r.RuleId == "DUPLICATE_ID").Line.Should().Be(Examples.LineOf(Invalid, "D", occurrence: 2));
        results.Single(r => r.RuleId == "UNKNOWN_PARENT").Line.Should().Be(Examples.LineOf(Invalid, "D", occurrence: 1));
        results.Single(r => r.RuleId == "ALIGNMENT_CYCLE").Line.Should().Be(Examples.LineOf(Invalid, "A"));
    }

    [Test]
    public void Sarif_RelativePath_StaysRelativeForCodeScanning()
    {
        var run = OkrProcess.RunDll("validate", "examples/small-company.yaml", "--format", "sarif");

        SarifResults(run.StandardOutput).Should().OnlyContain(r => r.Uri == "examples/small-company.yaml");
    }

    [Test]
    public void JUnit_SmallCompany_IsWellFormedWithOneCasePerGoal()
    {
        var run = OkrProcess.RunDll("validate", Examples.SmallCompany, "--format", "junit");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        var suite = JUnitSuite(run.StandardOutput);
        var cases = suite.Elements("testcase").ToArray();
        cases.Select(c => (string)c.Attribute("name")!).Should().HaveCount(16).And.OnlyHaveUniqueItems().And.Contain(["C1", "HACKWEEK", "SUCCESS.KR2"]);
        ((int)suite.Attribute("tests")!).Should().Be(16);
        ((int)suite.Attribute("failures")!).Should().Be(0, "warnings do not fail below --fail-on warning");
        ((int)suite.Attribute("skipped")!).Should().Be(1, "SUCCESS.KR2 is a draft");
        var hackweek = cases.Single(c => (string)c.Attribute("name")! == "HACKWEEK");
        ((int)hackweek.Attribute("line")!).Should().Be(Examples.LineOf(Examples.SmallCompany, "HACKWEEK"));
        hackweek.Element("system-out")!.Value.Should().Contain("ORPHANED_GOAL").And.Contain("UNSUPPORTED_GOAL");
    }

    [Test]
    public void JUnit_FailOnWarning_FailsTheGoalsWithWarnings()
    {
        var run = OkrProcess.RunDll("validate", Examples.SmallCompany, "--format", "junit", "--fail-on", "warning");

        run.ExitCode.Should().Be(ExitCodes.Findings, run.ToString());
        var suite = JUnitSuite(run.StandardOutput);
        ((int)suite.Attribute("failures")!).Should().Be(3);
        var failed = suite.Elements("testcase").Where(c => c.Element("failure") is not null).ToDictionary(c => (string)c.Attribute("name")!, c => c.Element("failure")!);
        failed.Keys.Should().BeEquivalentTo(["HACKWEEK", "ENG.KR3", "C1.KR1"]);
        ((string)failed["HACKWEEK"].Attribute("message")!).Should().Be("2 findings: ORPHANED_GOAL, UNSUPPORTED_GOAL");
        ((string)failed["ENG.KR3"].Attribute("type")!).Should().Be("PERIOD_MISMATCH");
    }

    [Test]
    public void JUnit_DocumentFinding_HasACaseOfItsOwn()
    {
        using var file = new TempGoalFile("period: NOPE\ngoals:\n  - { id: C1, type: objective, level: company }\n");

        var run = OkrProcess.RunDll("validate", file.Path, "--format", "junit");

        run.ExitCode.Should().Be(ExitCodes.Findings, run.ToString());
        var cases = JUnitSuite(run.StandardOutput).Elements("testcase").ToArray();
        cases.Select(c => (string)c.Attribute("name")!).Should().Equal("C1", "(document) INVALID_PERIOD");
        ((string)cases[1].Element("failure")!.Attribute("type")!).Should().Be("INVALID_PERIOD");
    }

    /// <summary>
    /// The subset of the SARIF 2.1.0 schema's required fields a code-scanning upload needs, checked one by one
    /// (there is no JSON-schema validator among our packages): version, runs[].tool.driver.name, rules with id
    /// and shortDescription, and per result ruleId, level, message.text and a physical location with uri,
    /// startLine and startColumn.
    /// </summary>
    private static (string RuleId, string Level, string Goal, string Uri, int Line, int Column)[] SarifResults(string sarif)
    {
        using var document = JsonDocument.Parse(sarif);
        var root = document.RootElement;
        root.GetProperty("version").GetString().Should().Be("2.1.0");
        var run = root.GetProperty("runs").EnumerateArray().Should().ContainSingle().Subject;
        var driver = run.GetProperty("tool").GetProperty("driver");
        driver.GetProperty("name").GetString().Should().Be("okr");
        var rules = driver.GetProperty("rules").EnumerateArray().ToArray();
        rules.Should().HaveCount(16);
        rules.Should().OnlyContain(r => r.GetProperty("id").GetString()!.Length > 0 && r.GetProperty("shortDescription").GetProperty("text").GetString()!.Length > 0);
        var ruleIds = rules.Select(r => r.GetProperty("id").GetString()).ToArray();

        return [.. run.GetProperty("results").EnumerateArray().Select(result =>
        {
            var ruleId = result.GetProperty("ruleId").GetString()!;
            ruleIds[result.GetProperty("ruleIndex").GetInt32()].Should().Be(ruleId);
            var level = result.GetProperty("level").GetString()!;
            level.Should().BeOneOf("error", "warning", "note");
            result.GetProperty("message").GetProperty("text").GetString().Should().NotBeNullOrEmpty();
            var physical = result.GetProperty("locations").EnumerateArray().First().GetProperty("physicalLocation");
            var region = physical.GetProperty("region");
            var (line, column) = (region.GetProperty("startLine").GetInt32(), region.GetProperty("startColumn").GetInt32());
            line.Should().BePositive();
            column.Should().BePositive();
            return (ruleId, level, result.GetProperty("properties").GetProperty("goal").GetString()!,
                physical.GetProperty("artifactLocation").GetProperty("uri").GetString()!, line, column);
        })];
    }

    /// <summary>Parses with System.Xml (well-formed or it throws) and checks the testsuites/testsuite shape.</summary>
    private static XElement JUnitSuite(string xml)
    {
        var document = XDocument.Parse(xml, LoadOptions.SetLineInfo);
        document.Root!.Name.LocalName.Should().Be("testsuites");
        var suite = document.Root.Elements("testsuite").Should().ContainSingle().Subject;
        foreach (var attribute in new[] { "name", "tests", "failures", "errors", "skipped" }) suite.Attribute(attribute).Should().NotBeNull(attribute);
        ((int)suite.Attribute("tests")!).Should().Be(suite.Elements("testcase").Count());
        suite.Elements("testcase").Should().OnlyContain(c => c.Attribute("classname") != null && c.Attribute("file") != null && c.Attribute("line") != null);
        return suite;
    }
}

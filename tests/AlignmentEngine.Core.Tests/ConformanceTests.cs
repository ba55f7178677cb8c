using AlignmentEngine.GoalFiles;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Core.Tests;

/// <summary>
/// Every conformance vector through the core library: read the file, evaluate, write the spec's JSON, compare
/// as shared/conformance/README.md says. The same vectors run through the command line and the service.
/// </summary>
public sealed class ConformanceTests
{
    [TestCaseSource(typeof(RepoPaths), nameof(RepoPaths.ConformanceCases))]
    public void Evaluate_ConformanceVector_EqualsExpected(string path)
    {
        var read = GoalFileReader.Default.ReadFile(path);
        read.Error.Should().BeNull();
        var tree = read.Document!.Tree;

        var report = TreeEvaluator.Evaluate(tree, tree.AsOf ?? new DateOnly(2026, 11, 22));

        ConformanceComparison.ShouldMatchExpected(RollupReportJson.ToJson(report), File.ReadAllText(RepoPaths.ExpectedFor(path)));
    }

    private static IEnumerable<TestCaseData> ValidVectors() =>
        RepoPaths.ConformanceCases().Where(v => File.ReadAllText(RepoPaths.ExpectedFor((string)v.Arguments[0]!)).Contains("\"valid\": true", StringComparison.Ordinal));

    [TestCaseSource(nameof(ValidVectors))]
    public void Build_ValidConformanceVector_SurvivesExportAndRebuild(string path)
    {
        var tree = GoalFileReader.Default.ReadFile(path).Document!.Tree;

        Trees.Build(tree).ShouldEqualFullRecomputation(tree.AsOf ?? new DateOnly(2026, 11, 22));
    }
}

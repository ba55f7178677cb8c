using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.GoalFiles.Tests;

public sealed class ConformanceFilesTests
{
    [Test]
    public void ConformanceVectors_Exist() => RepoPaths.ConformanceVectors().Should().NotBeEmpty();

    [TestCaseSource(typeof(RepoPaths), nameof(RepoPaths.ConformanceCases))]
    public void ReadFile_ConformanceVector_ReadsEveryGoal(string path)
    {
        var result = GoalFileReader.Default.ReadFile(path);

        result.Error.Should().BeNull();
        var document = result.Document!;

        // Every goal entry of the file is read, each with a position on its own line, in order.
        var entries = File.ReadAllLines(path).Count(line => line.TrimStart().StartsWith("- ", StringComparison.Ordinal)
            && (line.Contains("id:", StringComparison.Ordinal)));
        document.Tree.Goals.Should().HaveCount(entries);
        document.GoalPositions.Select(p => p.Line).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }
}

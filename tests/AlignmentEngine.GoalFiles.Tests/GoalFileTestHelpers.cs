using AlignmentEngine.Core;

namespace AlignmentEngine.GoalFiles.Tests;

/// <summary>Reading snippets and comparing trees (GoalTree's collections compare by reference, not content).</summary>
internal static class GoalFileTestHelpers
{
    public const string FileName = "goals.yaml";

    public static GoalTreeDocument Read(string content)
    {
        var result = GoalFileReader.Default.Read(content, FileName);
        Assert.That(result.Error, Is.Null, () => $"unexpected reader error: {result.Error}");
        return result.Document!;
    }

    public static GoalFileError ReadError(string content)
    {
        var result = GoalFileReader.Default.Read(content, FileName);
        Assert.That(result.Succeeded, Is.False, "the reader accepted the content");
        return result.Error!;
    }

    /// <summary>One goal, read from a file holding only it.</summary>
    public static GoalDefinition ReadGoal(string goalLines) => Read("goals:\n" + goalLines).Tree.Goals.Single();

    public static void ShouldEqualTree(this GoalTree actual, GoalTree expected)
    {
        actual.Goals.Should().Equal(expected.Goals);
        actual.Periods.Should().BeEquivalentTo(expected.Periods);
        actual.Periods.Keys.Should().Equal(expected.Periods.Keys, "period order is kept");
        actual.DefaultPeriod.Should().Be(expected.DefaultPeriod);
        actual.Settings.Should().Be(expected.Settings);
        actual.AsOf.Should().Be(expected.AsOf);
    }
}

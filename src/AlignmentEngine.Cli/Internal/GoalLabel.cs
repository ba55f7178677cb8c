using System.Globalization;
using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>The lines that name a goal in a picture: id, title, and progress with health (or why there is none).</summary>
internal static class GoalLabel
{
    /// <summary>The sign in front of a goal that has findings.</summary>
    public const string FindingMark = "⚠";

    public static IReadOnlyList<string> Lines(EvaluatedTree tree, GoalDefinition goal)
    {
        var findings = tree.FindingsOf(goal.Id);
        var lines = new List<string>(3) { findings.Count > 0 ? $"{FindingMark} {goal.Id}" : goal.Id };
        if (goal.Title is { Length: > 0 } title) lines.Add(title);
        lines.Add(tree.ResultOf(goal.Id) is { } result
            ? $"{Percent(result.Progress)} · {result.Health.Name()}"
            : "no roll-up (invalid tree)");
        if (findings.Count > 0) lines.Add(string.Join(", ", findings.Select(f => f.Code.Name()).Distinct()));
        return lines;
    }

    public static string Percent(double fraction) => TextReportWriter.Percent(fraction);

    /// <summary>A weight as written, invariant (2, 0.5).</summary>
    public static string Weight(double weight) => weight.ToString("0.###", CultureInfo.InvariantCulture);
}

using System.Text;

namespace AlignmentEngine.Tests.Shared;

/// <summary>Generated goal files for size and depth tests.</summary>
internal static class GoalFileSamples
{
    /// <summary>
    /// A valid goal file of at least <paramref name="bytes"/> bytes: a company root with a ten-way cascade of
    /// key results under it.
    /// </summary>
    public static string Large(int bytes)
    {
        var text = new StringBuilder(bytes + 1024);
        text.Append("as_of: 2026-11-15\nperiod: { start: 2026-10-01, end: 2026-12-31 }\ngoals:\n");
        text.Append("  - { id: ROOT, type: objective, level: company, title: The company }\n");
        for (var i = 0; text.Length < bytes; i++)
        {
            var parent = i < 10 ? "ROOT" : $"G{(i / 10) - 1}";
            text.Append("  - id: G").Append(i).Append('\n')
                .Append("    type: key_result\n")
                .Append("    title: Generated goal number ").Append(i).Append(" with a reasonably long title\n")
                .Append("    parents: [").Append(parent).Append("]\n")
                .Append("    metric: { direction: increase, start: 0, target: 100, current: ").Append(i % 101).Append(" }\n");
        }

        return text.ToString();
    }

    /// <summary>A chain <c>L0 ← L1 ← ... ← L(n-1)</c>, each goal aligned to the one before: as deep as a tree gets.</summary>
    public static string Chain(int length)
    {
        var text = new StringBuilder(length * 64);
        text.Append("as_of: 2026-11-15\nperiod: { start: 2026-10-01, end: 2026-12-31 }\ngoals:\n");
        text.Append("  - { id: L0, type: objective, level: company }\n");
        for (var i = 1; i < length - 1; i++)
        {
            text.Append("  - { id: L").Append(i).Append(", type: objective, parents: [L").Append(i - 1).Append("] }\n");
        }

        text.Append("  - { id: L").Append(length - 1).Append(", type: key_result, parents: [L").Append(length - 2)
            .Append("], metric: { direction: increase, target: 10, current: 5 } }\n");
        return text.ToString();
    }
}

using System.Text.RegularExpressions;
using AlignmentEngine.Cli.Tests.Support;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Cli.Tests;

/// <summary>
/// The README's and docs/cli.md's <c>$ scripts/okr ...</c> examples, run: each shown line is what okr prints, up to
/// a line that elides the rest (<c>…</c>, <c>...</c>), and <c>$ echo $?</c> shows the exit code. Examples on files
/// that are not in the checkout (goals.yaml) and those whose output is random (keys) are left out. A timing
/// ("simulated in 48.24 ms") differs from run to run, so a line is compared up to it.
/// </summary>
public sealed partial class DocumentedExamplesTests
{
    public static IEnumerable<TestCaseData> Examples()
    {
        foreach (var document in new[] { "README.md", Path.Combine("docs", "cli.md") })
        {
            var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, document));
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].StartsWith("$ scripts/okr ", StringComparison.Ordinal) || lines[i].Contains(" keys ", StringComparison.Ordinal)) continue;
                var shown = new List<string>();
                int? exit = null;
                var j = i + 1;
                for (; j < lines.Length && lines[j] != "```" && !lines[j].StartsWith("$ scripts/okr ", StringComparison.Ordinal); j++)
                {
                    if (lines[j] == "$ echo $?") exit = int.Parse(lines[++j], System.Globalization.CultureInfo.InvariantCulture);
                    else if (exit is null) shown.Add(lines[j]);
                }

                yield return new TestCaseData(lines[i]["$ scripts/okr ".Length..], shown.ToArray(), exit).SetArgDisplayNames($"{document}:{i + 1}");
                i = j - 1;
            }
        }
    }

    [TestCaseSource(nameof(Examples))]
    public void Example_Run_PrintsWhatTheDocumentShows(string commandLine, string[] shown, int? exit)
    {
        var head = HeadPipe().Match(commandLine);
        var args = (head.Success ? commandLine[..head.Index] : commandLine).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var files = args.Where(a => a.EndsWith(".yaml", StringComparison.Ordinal)).ToArray();
        if (files.Any(f => !File.Exists(Path.Combine(RepoPaths.Root, f)))) Assert.Ignore($"an example on a file that is not in the checkout: {string.Join(", ", files)}");

        var run = OkrProcess.RunDll(args);

        if (exit is { } code) run.ExitCode.Should().Be(code, run.ToString());
        var printed = run.StandardOutput.Split('\n');
        if (head.Success) printed = [.. printed.Take(int.Parse(head.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
        for (var k = 0; k < shown.Length; k++)
        {
            var expected = shown[k];
            if (expected.Trim() is "…" or "..." || expected.TrimStart().StartsWith("...", StringComparison.Ordinal)) return;
            printed.Length.Should().BeGreaterThan(k, $"line {k + 1} '{expected}' is shown\n{run}");
            var timing = expected.IndexOf("simulated in", StringComparison.Ordinal);
            if (timing >= 0) printed[k].Should().StartWith(expected[..timing], run.ToString());
            else printed[k].Should().Be(expected, $"line {k + 1} of the output\n{run}");
        }
    }

    [GeneratedRegex(@" \| head -(\d+)$")]
    private static partial Regex HeadPipe();
}

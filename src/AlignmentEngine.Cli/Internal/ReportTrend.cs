using System.Diagnostics;
using System.Text;
using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// Each goal's progress at an earlier point, for the report's trend column: from an earlier version of the goal
/// file (<c>--compare OLD</c>), from the file as it was in git at a revision (<c>--since REV</c>), each
/// evaluated at its own date, or from a tenant's history in a store (<c>--store</c>, <c>--since DATE</c>).
/// </summary>
internal sealed class ReportTrend
{
    private readonly Dictionary<string, double> _progress;

    private ReportTrend(string since, Dictionary<string, double> progress)
    {
        Since = since;
        _progress = progress;
    }

    /// <summary>What the trend is measured from, as the page says it: "old.yaml at 2026-10-15".</summary>
    public string Since { get; }

    /// <summary>The change in progress since then; null for a goal that was not there (or not rolled up).</summary>
    public double? Change(string id, double progress) => _progress.TryGetValue(id, out var then) ? progress - then : null;

    public static ReportTrend Of(EvaluatedTree earlier, string label) => Of(earlier.Report, label);

    /// <summary>The trend from a roll-up at an earlier date; <paramref name="label"/> says what it is of ("old.yaml").</summary>
    public static ReportTrend Of(RollupReport earlier, string label) =>
        new($"{label} at {earlier.AsOf:yyyy'-'MM'-'dd}", earlier.Goals.ToDictionary(g => g.Id, g => g.Progress, StringComparer.Ordinal));

    /// <summary>The trend from the file at <paramref name="revision"/> in its git repository; null (with one line on stderr) when git cannot show it.</summary>
    public static ReportTrend? FromGit(string file, string revision, CliConsole console)
    {
        var full = Path.GetFullPath(file);
        var folder = Path.GetDirectoryName(full)!;
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
        foreach (var arg in new[] { "show", $"{revision}:./{Path.GetFileName(full)}" }) start.ArgumentList.Add(arg);
        try
        {
            using var git = Process.Start(start)!;
            var content = git.StandardOutput.ReadToEndAsync();
            var error = git.StandardError.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode != 0)
            {
                console.Error.WriteLine($"okr report: --since {revision}: git cannot show {file} at that revision: {OneLine.Of(error)}");
                return null;
            }

            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content.GetAwaiter().GetResult()));
            var read = GoalFileReader.Default.Read(stream, $"{file}@{revision}");
            if (!read.Succeeded)
            {
                console.Error.WriteLine(read.Error.ToString());
                return null;
            }

            return Of(EvaluatedTree.Evaluate(read.Document, null), $"{revision}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            console.Error.WriteLine($"okr report: --since needs git: {e.Message}");
            return null;
        }
    }
}

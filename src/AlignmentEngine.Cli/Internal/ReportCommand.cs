using System.CommandLine;

namespace AlignmentEngine.Cli.Internal;

/// <summary><c>okr report FILE -o report.html</c>: the self-contained HTML page.</summary>
internal static class ReportCommand
{
    public static Command Create(CliConsole console)
    {
        var file = CommonOptions.File();
        var asOf = CommonOptions.AsOf();
        var output = CommonOptions.Output("Write the page to this file (e.g. report.html) instead of standard output.");
        var compare = new Option<string?>("--compare") { Description = "An earlier version of the goal file: each goal shows the change in its progress since then." };
        var since = new Option<string?>("--since") { Description = "A git revision (e.g. HEAD~5, main, a tag): each goal shows the change in its progress since the file as it was there." };
        var command = new Command("report", "Write one self-contained HTML page: the tree, progress, pace, health, filters, trend, findings and coverage.") { file, asOf, output, compare, since };
        command.Validators.Add(r =>
        {
            if (r.GetResult(compare) is not null && r.GetResult(since) is not null) r.AddError("Give --compare FILE or --since REV, not both.");
        });
        command.SetAction(result =>
        {
            var path = result.GetRequiredValue(file);
            return CommandGuard.Run("report", path, console, () =>
            {
                var document = GoalFileInput.Read(path, console);
                if (document is null) return ExitCodes.Usage;

                // Exit 0 once the page is written, whatever it shows: gating on findings is validate's job.
                ReportTrend? trend = null;
                if (result.GetValue(compare) is { } earlier)
                {
                    if (GoalFileInput.Read(earlier, console) is not { } old) return ExitCodes.Usage;
                    trend = ReportTrend.Of(EvaluatedTree.Evaluate(old, null), earlier);
                }
                else if (result.GetValue(since) is { } revision)
                {
                    if (path == GoalFileInput.StandardInput)
                    {
                        console.Error.WriteLine("okr report: --since needs a file in a git repository, not standard input");
                        return ExitCodes.Usage;
                    }

                    trend = ReportTrend.FromGit(path, revision, console);
                    if (trend is null) return ExitCodes.Usage;
                }

                var page = HtmlReportWriter.Write(EvaluatedTree.Evaluate(document, result.GetValue(asOf)), trend);
                return OutputTarget.Write(result.GetValue(output), page, console) ? ExitCodes.Ok : ExitCodes.Usage;
            });
        });
        return command;
    }
}

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
        var command = new Command("report", "Write one self-contained HTML page: the tree, progress, pace, health, findings and coverage.") { file, asOf, output };
        command.SetAction(result =>
        {
            var path = result.GetRequiredValue(file);
            return CommandGuard.Run("report", path, console, () =>
            {
                var document = GoalFileInput.Read(path, console);
                if (document is null) return ExitCodes.Usage;

                // Exit 0 once the page is written, whatever it shows: gating on findings is validate's job.
                var page = HtmlReportWriter.Write(EvaluatedTree.Evaluate(document, result.GetValue(asOf)));
                return OutputTarget.Write(result.GetValue(output), page, console) ? ExitCodes.Ok : ExitCodes.Usage;
            });
        });
        return command;
    }
}

using System.CommandLine;

namespace AlignmentEngine.Cli.Internal;

/// <summary><c>okr diff OLD NEW</c>: the priority shift a change to a goal file makes, and an exit code to block it on.</summary>
internal static class DiffCommand
{
    public static Command Create(CliConsole console)
    {
        var old = CommonOptions.File("OLD", "The goal file before the change (YAML or JSON); '-' reads standard input.");
        var @new = CommonOptions.File("NEW", "The goal file after the change.");
        var asOf = CommonOptions.AsOf("Evaluate both at this date (YYYY-MM-DD). Default: NEW's as_of, else OLD's, else today (UTC).");
        var format = CommonOptions.Format("text, or json.", "text", "json");
        var failOn = CommonOptions.FailOn("Exit with 1 when a finding of this severity or a more severe one appears (e.g. warning: block a change that orphans goals).");
        var command = new Command("diff", "Compare two versions of a goal file: goals added, removed and moved, values and health that change, findings that appear and disappear.")
        {
            old, @new, asOf, format, failOn,
        };
        command.SetAction(result =>
        {
            var (oldPath, newPath) = (result.GetRequiredValue(old), result.GetRequiredValue(@new));
            return CommandGuard.Run("diff", $"{oldPath} and {newPath}", console, () =>
            {
                if (oldPath == GoalFileInput.StandardInput && newPath == GoalFileInput.StandardInput)
                {
                    console.Error.WriteLine("okr: OLD and NEW cannot both be read from standard input.");
                    return ExitCodes.Usage;
                }

                // The first file that cannot be read is the one line said.
                if (GoalFileInput.Read(oldPath, console) is not { } before || GoalFileInput.Read(newPath, console) is not { } after) return ExitCodes.Usage;

                // One date for both, so that every change reported is the edit's, not the calendar's.
                var date = result.GetValue(asOf) ?? after.Tree.AsOf ?? before.Tree.AsOf ?? DateOnly.FromDateTime(DateTime.UtcNow);
                var diff = GoalTreeDiff.Compare(EvaluatedTree.Evaluate(before, date), EvaluatedTree.Evaluate(after, date));
                console.Out.Write(result.GetRequiredValue(format) == "json" ? DiffWriter.Json(diff) : DiffWriter.Text(diff));
                return GoalFileCheck.FailsOn(diff.Appeared, CommonOptions.Severity(result, failOn)) ? ExitCodes.Findings : ExitCodes.Ok;
            });
        });
        return command;
    }
}

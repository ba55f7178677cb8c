using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>Reads the file, evaluates it, prints the result and turns the findings into the exit code.</summary>
internal static class GoalFileCheck
{
    public static int Run(CheckRequest request, CliConsole console)
    {
        try
        {
            return Check(request, console);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not the user's fault; still one line on stderr, never a stack trace in their pipeline.
            console.Error.WriteLine($"okr: internal error while checking {request.File}: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Usage;
        }
    }

    private static int Check(CheckRequest request, CliConsole console)
    {
        var read = ReadFile(request.File, console);
        if (!read.Succeeded)
        {
            console.Error.WriteLine(read.Error.ToString());
            return ExitCodes.Usage;
        }

        var tree = read.Document.Tree;
        var asOf = request.AsOf ?? tree.AsOf ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var report = TreeEvaluator.Evaluate(tree, asOf);
        if (request.Format == OutputFormat.Json)
        {
            console.Out.WriteLine(RollupReportJson.ToJson(report));
        }
        else
        {
            var output = new TextReportWriter(console);
            if (request.Mode == CheckMode.Rollup) output.WriteRollup(read.Document, report);
            else output.WriteValidation(read.Document, report);
        }

        // Severity's order is the spec's: error 0 < warning 1 < info 2, so "at or above" is "<=".
        return report.Findings.Any(f => f.Severity <= request.FailOn) ? ExitCodes.Findings : ExitCodes.Ok;
    }

    private static GoalFileResult ReadFile(string file, CliConsole console)
    {
        if (file != "-") return GoalFileReader.Default.ReadFile(file);
        using var input = console.OpenInput();
        return GoalFileReader.Default.Read(input, "<stdin>");
    }
}

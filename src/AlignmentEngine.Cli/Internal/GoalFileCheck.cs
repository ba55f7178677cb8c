using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>Reads the file, evaluates it, prints the result and turns the findings into the exit code.</summary>
internal static class GoalFileCheck
{
    public static int Run(CheckRequest request, CliConsole console) =>
        CommandGuard.Run(request.Mode == CheckMode.Rollup ? "rollup" : "validate", request.File, console, () => Check(request, console));

    private static int Check(CheckRequest request, CliConsole console)
    {
        var document = GoalFileInput.Read(request.File, console);
        if (document is null) return ExitCodes.Usage;

        var tree = EvaluatedTree.Evaluate(document, request.AsOf);
        var report = tree.Report;
        switch (request.Format)
        {
            case OutputFormat.Json:
                console.Out.WriteLine(RollupReportJson.ToJson(report));
                break;
            case OutputFormat.Sarif:
                console.Out.WriteLine(SarifWriter.Write(tree));
                break;
            case OutputFormat.JUnit:
                console.Out.WriteLine(JUnitWriter.Write(tree, request.FailOn));
                break;
            default:
                var output = new TextReportWriter(console);
                if (request.Mode == CheckMode.Rollup) output.WriteRollup(document, report);
                else output.WriteValidation(document, report);
                break;
        }

        return FailsOn(report.Findings, request.FailOn) ? ExitCodes.Findings : ExitCodes.Ok;
    }

    /// <summary>Severity's order is the spec's: error 0 &lt; warning 1 &lt; info 2, so "at or above" is "&lt;=".</summary>
    public static bool FailsOn(IEnumerable<Finding> findings, Severity failOn) => findings.Any(f => AtOrAbove(f, failOn));

    public static bool AtOrAbove(Finding finding, Severity failOn) => finding.Severity <= failOn;
}

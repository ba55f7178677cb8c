using System.CommandLine;
using AlignmentEngine.Cli.Internal;

namespace AlignmentEngine.Cli;

/// <summary><c>okr validate</c>, <c>rollup</c>, <c>render</c>, <c>report</c>, <c>diff</c> and <c>serve</c>: the command line's grammar and its exit codes.</summary>
public static class OkrCommandLine
{
    public static int Run(string[] args, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var root = BuildCommand(console);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // System.CommandLine exits 1 on a parse error; for okr, 1 means "findings", so usage errors are ours.
            foreach (var error in parsed.Errors) console.Error.WriteLine($"okr: {error.Message}");
            console.Error.WriteLine("Run 'okr --help' for usage.");
            return ExitCodes.Usage;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false });
    }

    private static RootCommand BuildCommand(CliConsole console)
    {
        Command Check(string name, string description, CheckMode mode, string formatHelp, params string[] formats)
        {
            var file = CommonOptions.File();
            var asOf = CommonOptions.AsOf();
            var format = CommonOptions.Format(formatHelp, formats);
            var failOn = CommonOptions.FailOn();
            var command = new Command(name, description) { file, asOf, format, failOn };
            command.SetAction(result => GoalFileCheck.Run(
                new CheckRequest(mode, result.GetRequiredValue(file), result.GetValue(asOf), Formats[result.GetRequiredValue(format)], CommonOptions.Severity(result, failOn)),
                console));
            return command;
        }

        return new RootCommand("okr: validate, roll up, draw, report and compare cascading OKR goal trees (goals as code).")
        {
            Check("validate", "Check a goal tree file and print its findings.", CheckMode.Validate,
                "text; json: the result document; sarif: SARIF 2.1.0 for code scanning; junit: JUnit XML for test reports.", "text", "json", "sarif", "junit"),
            Check("rollup", "Roll a goal tree up and print every goal's progress, pace and health, then the findings.", CheckMode.Rollup,
                "text, or json: the result document.", "text", "json"),
            RenderCommand.Create(console),
            ReportCommand.Create(console),
            DiffCommand.Create(console),
            GenerateCommand.Create(console),
            ScenarioCommand.Create(console),
            ServeCommand.Create(console),
            OpenApiCommand.Create(console),
            KeysCommand.Create(console),
        };
    }

    private static readonly Dictionary<string, OutputFormat> Formats = new(StringComparer.Ordinal)
    {
        ["text"] = OutputFormat.Text,
        ["json"] = OutputFormat.Json,
        ["sarif"] = OutputFormat.Sarif,
        ["junit"] = OutputFormat.JUnit,
    };
}

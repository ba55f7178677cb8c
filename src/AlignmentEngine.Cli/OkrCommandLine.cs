using System.CommandLine;
using System.Globalization;
using AlignmentEngine.Cli.Internal;
using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli;

/// <summary><c>okr validate FILE</c>, <c>okr rollup FILE</c> and <c>okr serve</c>: the command line's grammar and its exit codes.</summary>
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
        var file = new Argument<string>("FILE") { Description = "The goal tree file (YAML or JSON); '-' reads standard input." };
        var asOf = new Option<DateOnly?>("--as-of")
        {
            Description = "Evaluate at this date (YYYY-MM-DD). Default: the file's as_of, else today (UTC).",
            CustomParser = ParseDate,
        };
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit with 1 when a finding of this severity or a more severe one is found.",
            DefaultValueFactory = _ => SpecNames.Name(Severity.Error),
        };
        failOn.AcceptOnlyFromAmong([.. SpecNames.NamesOf<Severity>()]);

        Command Subcommand(string name, string description, CheckMode mode)
        {
            var command = new Command(name, description) { file, asOf, format, failOn };
            command.SetAction(result => GoalFileCheck.Run(
                new CheckRequest(
                    mode,
                    result.GetRequiredValue(file),
                    result.GetValue(asOf),
                    result.GetRequiredValue(format) == "json" ? OutputFormat.Json : OutputFormat.Text,
                    SpecNames.TryParse<Severity>(result.GetRequiredValue(failOn), out var severity) ? severity : Severity.Error),
                console));
            return command;
        }

        return new RootCommand("okr: validate and roll up cascading OKR goal trees (goals as code).")
        {
            Subcommand("validate", "Check a goal tree file and print its findings.", CheckMode.Validate),
            Subcommand("rollup", "Roll a goal tree up and print every goal's progress, pace and health, then the findings.", CheckMode.Rollup),
            ServeCommand.Create(console),
        };
    }

    private static DateOnly? ParseDate(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (DateOnly.TryParseExact(text, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        result.AddError($"--as-of must be a date written YYYY-MM-DD, not '{text}'.");
        return null;
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using AlignmentEngine.Cli.Internal;

namespace AlignmentEngine.Cli;

/// <summary><c>okr validate</c>, <c>rollup</c>, <c>render</c>, <c>report</c>, <c>diff</c>, <c>generate</c>, <c>scenario</c>, <c>serve</c> and <c>keys</c>: the command line's grammar and its exit codes.</summary>
public static class OkrCommandLine
{
    public static int Run(string[] args, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var root = BuildCommand(console);
        try
        {
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0 && NeedsSubcommand(parsed))
            {
                // 'okr' or 'okr keys' alone: what the command offers is the answer, not an error.
                parsed = root.Parse([.. args, "--help"]);
            }
            else if (parsed.Errors.Count > 0)
            {
                // System.CommandLine exits 1 on a parse error; for okr, 1 means "findings", so usage errors are ours.
                var command = string.Join(' ', parsed.CommandResult.Command.Name == root.Name ? ["okr"] : ["okr", .. CommandPath(parsed)]);
                console.Error.WriteLine($"{command}: {string.Join(" ", Problems(parsed))} (see '{command} --help')");
                return ExitCodes.Usage;
            }

            // No ProcessTerminationTimeout: System.CommandLine would otherwise answer SIGTERM by cancelling the command and,
            // 2 s later, exiting 143 whatever the command is still doing. okr serve drains in-flight calls and stops its silo
            // on SIGTERM (its host's console lifetime takes the signal), which can take longer; every other command is
            // short and ends as any process does on the signal.
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The last line of defence: a bug is one line and exit 2, never a stack trace in a pipeline.
            console.Error.WriteLine($"okr: internal error: {e.GetType().Name}: {OneLine.Of(e)}");
            return ExitCodes.Usage;
        }
    }

    /// <summary>The parse errors worth saying: "no command given" only when nothing else was wrong (an unknown command is both).</summary>
    private static IEnumerable<string> Problems(ParseResult parsed)
    {
        var problems = parsed.Errors.Select(e => OneLine.Of(e.Message)).Distinct().ToList();
        if (problems.Count > 1) problems.RemoveAll(p => p.StartsWith("Required command was not provided", StringComparison.Ordinal));
        return problems;
    }

    /// <summary>A command that only groups others (okr itself, okr keys) named with nothing after it.</summary>
    private static bool NeedsSubcommand(ParseResult parsed) =>
        parsed.CommandResult.Command.Subcommands.Count > 0 && parsed.Tokens.All(t => t.Type == TokenType.Command);

    /// <summary>The names of the commands given, outermost first, without the root: <c>keys create</c>.</summary>
    private static IEnumerable<string> CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result.Parent is CommandResult parent; result = parent) names.Insert(0, result.Command.Name);
        return names;
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

        return new RootCommand("okr: validate, roll up, draw, report and compare cascading OKR goal trees (goals as code); generate organisations, simulate priority shifts, serve the AlignmentService.")
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

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>The arguments and options several commands share, spelled and parsed the same way in each.</summary>
internal static class CommonOptions
{
    public static Argument<string> File(string name = "FILE", string description = "The goal tree file (YAML or JSON); '-' reads standard input.") =>
        new(name) { Description = description };

    public static Option<DateOnly?> AsOf(string description = "Evaluate at this date (YYYY-MM-DD). Default: the file's as_of, else today (UTC).") =>
        new("--as-of") { Description = description, CustomParser = ParseDate };

    public static Option<string> FailOn(string description = "Exit with 1 when a finding of this severity or a more severe one is found.")
    {
        var failOn = new Option<string>("--fail-on") { Description = description, DefaultValueFactory = _ => Core.Severity.Error.Name() };
        failOn.AcceptOnlyFromAmong([.. SpecNames.NamesOf<Severity>()]);
        return failOn;
    }

    public static Option<string> Format(string description, params string[] formats)
    {
        var format = new Option<string>("--format") { Description = description, DefaultValueFactory = _ => formats[0] };
        format.AcceptOnlyFromAmong(formats);
        return format;
    }

    public static Option<string?> Output(string description) =>
        new("--output", "-o") { Description = description };

    /// <summary>The --fail-on value, already checked against the severity names by the parser.</summary>
    public static Severity Severity(ParseResult result, Option<string> failOn) =>
        SpecNames.TryParse<Severity>(result.GetRequiredValue(failOn), out var severity) ? severity : Core.Severity.Error;

    private static DateOnly? ParseDate(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (DateOnly.TryParseExact(text, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        result.AddError($"--as-of must be a date written YYYY-MM-DD, not '{text}'.");
        return null;
    }
}

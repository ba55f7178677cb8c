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

    /// <summary>
    /// An option that takes a whole number from <paramref name="min"/> to <paramref name="max"/>. A parser rather
    /// than a validator: a validator reads the value even when it failed to parse, and throws.
    /// </summary>
    public static Option<int> WholeNumber(string name, string description, int min, int max, int defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseWholeNumber(r, name, min, max) ?? 0,
    };

    /// <summary>As <see cref="WholeNumber"/>, for an option that may be left out (null then).</summary>
    public static Option<int?> OptionalWholeNumber(string name, string description, int min, int max) => new(name)
    {
        Description = description,
        CustomParser = r => ParseWholeNumber(r, name, min, max),
    };

    /// <summary>An option that takes a number in (0, 1]: a share of something.</summary>
    public static Option<double> Share(string name, string description, double defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 1) return value;
            r.AddError($"{name} must be a number in (0, 1], e.g. 0.5, not '{text}'.");
            return 0;
        },
    };

    /// <summary>
    /// An option that takes a duration as a number of seconds (a decimal number) from <paramref name="min"/> to
    /// <paramref name="max"/>; <paramref name="example"/> is what its error suggests.
    /// </summary>
    public static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue, double min, double max, string example) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= min && seconds <= max) return TimeSpan.FromSeconds(seconds);
            r.AddError($"{name} must be a number of seconds from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, e.g. {example}, not '{text}'.");
            return TimeSpan.Zero;
        },
    };

    /// <summary>The range a whole-number option accepts, as its errors and help say it.</summary>
    public static string Range(int min, int max) =>
        (min, max) == (int.MinValue, int.MaxValue) ? "of any size"
        : max == int.MaxValue
            ? $"{min.ToString(CultureInfo.InvariantCulture)} or more"
            : $"from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";

    private static int? ParseWholeNumber(ArgumentResult result, string name, int min, int max)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        result.AddError($"{name} must be a whole number {Range(min, max)}, not '{text}'.");
        return null;
    }

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

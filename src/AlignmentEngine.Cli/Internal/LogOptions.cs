using System.CommandLine;
using AlignmentEngine.Service.Hosting;
using Microsoft.Extensions.Logging;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr serve --log-format text|json --log-level LEVEL</c>: how the service's log lines (on standard error) are
/// written, and from which level. JSON is one object per line with the trace and span ids of the call it was written
/// in, for a log collector; text is for a terminal.
/// </summary>
internal sealed class LogOptions
{
    private readonly Option<LogFormat> _format = new("--log-format")
    {
        Description = "How log lines are written to standard error: text (readable) or json (one object per line, with trace and span ids).",
        DefaultValueFactory = _ => LogFormat.Text,
        CustomParser = result => Parse(result, LogFormat.Text),
    };

    private readonly Option<LogLevel> _level = new("--log-level")
    {
        Description = "The least severe lines written: trace, debug, information (a line per call), warning (the default), error, critical or none.",
        DefaultValueFactory = _ => LogLevel.Warning,
        CustomParser = result => Parse(result, LogLevel.Warning),
    };

    public IEnumerable<Option> All => [_format, _level];

    public void Apply(ParseResult result, GrpcServerHostOptions host)
    {
        host.LogFormat = result.GetRequiredValue(_format);
        host.MinimumLogLevel = result.GetRequiredValue(_level);
    }

    private static T Parse<T>(System.CommandLine.Parsing.ArgumentResult result, T fallback)
        where T : struct, Enum
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (!int.TryParse(text, out _) && Enum.TryParse<T>(text, ignoreCase: true, out var value)) return value;
        var option = ((System.CommandLine.Parsing.OptionResult)result.Parent!).Option.Name;
        result.AddError($"{option} must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, not '{text}'.");
        return fallback;
    }
}

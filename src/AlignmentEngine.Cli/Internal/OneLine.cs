using System.Text.RegularExpressions;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// Every failure of okr is one line on stderr: messages from libraries (an argument exception's parameter
/// suffix, the parser's list of allowed values on lines of their own) are folded into one.
/// </summary>
internal static partial class OneLine
{
    public static string Of(string message) => LineBreaks().Replace(message, " ").Trim();

    /// <summary>An exception's message without the " (Parameter 'x')" that <see cref="ArgumentException"/> appends.</summary>
    public static string Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception is ArgumentException { ParamName: { } name }
            ? exception.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal)
            : exception.Message;
        return Of(message);
    }

    [GeneratedRegex(@"\s*[\r\n]+\s*")]
    private static partial Regex LineBreaks();
}

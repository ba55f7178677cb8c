using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AlignmentEngine.GoalFiles.Internal;

/// <summary>
/// How a scalar's text is taken as a value. Typed values (null, booleans, numbers) follow the YAML 1.2 core
/// schema and only come from plain scalars, so that a quoted <c>"38"</c> stays text and JSON's own types mean
/// what they mean in JSON (JSON is YAML 1.2 flow syntax). Dates are accepted plain or quoted because JSON can
/// only quote them.
/// </summary>
internal static partial class YamlScalars
{
    private const string StringTag = "tag:yaml.org,2002:str";

    /// <summary>True for a plain, untagged scalar: the only kind whose text is resolved to null, bool or number.</summary>
    public static bool IsPlain(Scalar scalar) => scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty;

    /// <summary>The one explicit tag goal files accept: <c>!!str</c>, which forces text.</summary>
    public static bool IsAcceptedTag(TagName tag) => tag.IsEmpty || tag.Value == StringTag;

    public static bool IsNull(Scalar scalar) =>
        IsPlain(scalar) && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

    public static bool TryBoolean(Scalar scalar, out bool value)
    {
        value = scalar.Value is "true" or "True" or "TRUE";
        return IsPlain(scalar) && (value || scalar.Value is "false" or "False" or "FALSE");
    }

    /// <summary>Decimal integers and floats, <c>.inf</c> and <c>.nan</c>; never hex, octal or digit groups.</summary>
    public static bool TryNumber(Scalar scalar, out double value)
    {
        value = 0;
        if (!IsPlain(scalar)) return false;
        var text = scalar.Value;
        if (NanPattern().IsMatch(text))
        {
            value = double.NaN;
            return true;
        }

        if (InfinityPattern().IsMatch(text))
        {
            value = text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        // Out-of-range literals such as 1e999 parse to infinity, which the core then reports as not finite.
        return NumberPattern().IsMatch(text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryInteger(Scalar scalar, out int value)
    {
        value = 0;
        return IsPlain(scalar)
            && IntegerPattern().IsMatch(scalar.Value)
            && int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>An ISO calendar date, <c>YYYY-MM-DD</c>, that exists.</summary>
    public static bool TryDate(Scalar scalar, out DateOnly value) =>
        DateOnly.TryParseExact(scalar.Value, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary>Formats a number so that <see cref="TryNumber"/> reads back exactly the same double.</summary>
    public static string FormatNumber(double value) => value switch
    {
        double.PositiveInfinity => ".inf",
        double.NegativeInfinity => "-.inf",
        _ when double.IsNaN(value) => ".nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>True when plain text would be read back as something other than this string (null, bool, number).</summary>
    public static bool LooksTyped(string text)
    {
        var probe = new Scalar(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, true, false);
        return IsNull(probe) || TryBoolean(probe, out _) || TryNumber(probe, out _) || LooksLikeYaml11(text);
    }

    // YAML 1.1 readers (and many tools) take these as booleans or numbers; quoting them keeps written files
    // unambiguous for every reader, not just ours.
    private static bool LooksLikeYaml11(string text) =>
        text is "y" or "Y" or "yes" or "Yes" or "YES" or "n" or "N" or "no" or "No" or "NO"
            or "on" or "On" or "ON" or "off" or "Off" or "OFF"
        || Yaml11NumberPattern().IsMatch(text);

    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^[-+]?\.(inf|Inf|INF)$", RegexOptions.CultureInvariant)]
    private static partial Regex InfinityPattern();

    [GeneratedRegex(@"^\.(nan|NaN|NAN)$", RegexOptions.CultureInvariant)]
    private static partial Regex NanPattern();

    // Hex, octal and binary prefixes, digit groups, sexagesimals and timestamps: anything made of digits and
    // number punctuation only.
    [GeneratedRegex(@"^[-+]?(0[xXoObB]|[0-9][0-9_:.eE+-]*$)", RegexOptions.CultureInvariant)]
    private static partial Regex Yaml11NumberPattern();
}

using System.Globalization;
using System.Text;
using AlignmentEngine.Service.Mapping;

namespace AlignmentEngine.Service;

/// <summary>
/// Page tokens, opaque to clients: base64url of a short text this service wrote (the last id served, or a version and
/// a position). A token that does not decode to such a text, strictly, is a field violation of <c>page_token</c>:
/// INVALID_ARGUMENT, never a page of something else.
/// </summary>
internal static class PageTokens
{
    /// <summary>What a token that this service did not issue (or not for this read) is told.</summary>
    public const string NotIssued = "is not a token this service issued";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A token naming the last id served (pages sorted by id).</summary>
    public static string AfterId(string lastId) => Encode(lastId);

    /// <summary>The last id served by the page before, or null for the first page.</summary>
    public static string? DecodeAfterId(string token, FieldViolations violations) => Decode(token, violations);

    /// <summary>A token naming the position of the next entry in an answer read at <paramref name="version"/>.</summary>
    public static string AtPosition(long version, int position) => Encode(string.Create(CultureInfo.InvariantCulture, $"{version}:{position}"));

    /// <summary>The version and position of a token from <see cref="AtPosition"/>, or null for the first page.</summary>
    public static (long Version, int Position)? DecodePosition(string token, FieldViolations violations)
    {
        if (Decode(token, violations) is not { } text) return null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0
            && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            return (version, position);
        }

        violations.Add("page_token", NotIssued);
        return null;
    }

    /// <summary>The page size asked for: the default when 0, at most <paramref name="max"/>; negative is a violation.</summary>
    public static int Size(int asked, int defaultSize, int max, FieldViolations violations)
    {
        if (asked < 0) violations.Add("page_size", "must not be negative");
        return asked <= 0 ? defaultSize : Math.Min(asked, max);
    }

    private static string Encode(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? Decode(string token, FieldViolations violations)
    {
        if (token.Length == 0) return null;
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var text = StrictUtf8.GetString(Convert.FromBase64String(padded));
            if (text.Length > 0) return text;
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            // Reported below, like an empty text.
        }

        violations.Add("page_token", NotIssued);
        return null;
    }
}

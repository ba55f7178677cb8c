using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AlignmentEngine.GoalFiles.Internal;

/// <summary>
/// Reads one goal file straight from YamlDotNet's event stream into the core model, one pass, no document
/// tree (a 64 MiB file must not become gigabytes of nodes). Every value is read by a reader that knows what it
/// expects, so the first unexpected event stops the read with its exact line and column; nothing is ever
/// skipped, which is also why arbitrarily nested input cannot make the reader recurse deeply.
/// Anchors and aliases are refused outright: goal files have no use for them and they are the door to
/// "billion laughs" expansion.
/// </summary>
internal sealed partial class GoalFileParser
{
    private readonly IParser _events;
    private readonly string _path;

    private GoalFileParser(TextReader text, string path)
    {
        _events = new Parser(text);
        _path = path;
    }

    /// <summary>Reads a whole goal file; throws <see cref="GoalFileException"/> with the first problem.</summary>
    public static GoalTreeDocument Parse(TextReader text, string path)
    {
        var parser = new GoalFileParser(text, path);
        try
        {
            return parser.ReadStream();
        }
        catch (YamlException e)
        {
            // Syntax errors: YamlDotNet's message without its own position prefix, at its mark.
            throw parser.Error(e.Start, $"not valid YAML or JSON: {e.Message}");
        }
    }

    private ParsingEvent Peek()
    {
        var current = _events.Current;
        System.Diagnostics.Debug.Assert(current is not null, "the stream ends with StreamEnd, which is never consumed past");
        return current!;
    }

    private ParsingEvent Next()
    {
        var current = Peek();
        switch (current)
        {
            case AnchorAlias alias:
                throw Error(alias, $"aliases (*{alias.Value}) are not allowed in goal files; write the value out");
            case NodeEvent { Anchor.IsEmpty: false } node:
                throw Error(node, $"anchors (&{node.Anchor}) are not allowed in goal files; write the value out");
            case NodeEvent node when !YamlScalars.IsAcceptedTag(node.Tag):
                throw Error(node, $"the tag '{node.Tag}' is not allowed in goal files (only !!str is)");
        }

        _events.MoveNext();
        return current;
    }

    private T Expect<T>(string what)
        where T : ParsingEvent =>
        Next() is T expected ? expected : throw new InvalidOperationException($"YamlDotNet broke its event grammar: expected {what}.");

    /// <summary>
    /// Consumes the next key of a mapping begun by the caller, or its end. Keys must be known to the schema and
    /// appear once; <paramref name="seen"/> keeps one bit per schema key.
    /// </summary>
    private bool NextKey(KeySchema schema, ref uint seen, out Scalar key)
    {
        if (Peek() is MappingEnd)
        {
            Next();
            key = null!;
            return false;
        }

        var keyEvent = Next();
        key = keyEvent as Scalar ?? throw Error(keyEvent, $"{schema.Context} keys must be names, not {Describe(keyEvent)}");
        var index = schema.IndexOf(key.Value);
        if (index < 0)
        {
            throw Error(key, $"unknown {schema.Context} key '{Shorten(key.Value)}' (expected one of: {schema.Expected})");
        }

        var bit = 1u << index;
        if ((seen & bit) != 0) throw Error(key, $"duplicate key '{key.Value}' in {schema.Context}");
        seen |= bit;
        return true;
    }

    /// <summary>Consumes the start of a mapping, or reports what stands there instead.</summary>
    private MappingStart BeginMapping(string what)
    {
        var start = Next();
        return start as MappingStart ?? throw Error(start, $"{what} must be a mapping, not {Describe(start)}");
    }

    /// <summary>Consumes a null value (<c>~</c>, <c>null</c> or nothing): an optional key written but left empty.</summary>
    private bool SkipNull()
    {
        if (Peek() is not Scalar scalar || !YamlScalars.IsNull(scalar)) return false;
        Next();
        return true;
    }

    private Scalar NextScalar(Scalar key, string expected)
    {
        var value = Next();
        return value as Scalar ?? throw Error(value, $"'{key.Value}' must be {expected}, not {Describe(value)}");
    }

    private string? ReadText(Scalar key)
    {
        var value = NextScalar(key, "text");
        return YamlScalars.IsNull(value) ? null : value.Value;
    }

    private double? ReadNumber(Scalar key)
    {
        var value = NextScalar(key, "a number");
        if (YamlScalars.IsNull(value)) return null;
        return YamlScalars.TryNumber(value, out var number)
            ? number
            : throw Error(value, $"'{key.Value}' must be a number, not {Describe(value)}");
    }

    private int? ReadInteger(Scalar key)
    {
        var value = NextScalar(key, "a whole number");
        if (YamlScalars.IsNull(value)) return null;
        return YamlScalars.TryInteger(value, out var number)
            ? number
            : throw Error(value, $"'{key.Value}' must be a whole number, not {Describe(value)}");
    }

    private bool? ReadBoolean(Scalar key)
    {
        var value = NextScalar(key, "true or false");
        if (YamlScalars.IsNull(value)) return null;
        return YamlScalars.TryBoolean(value, out var flag)
            ? flag
            : throw Error(value, $"'{key.Value}' must be true or false, not {Describe(value)}");
    }

    private DateOnly? ReadDate(Scalar key)
    {
        var value = NextScalar(key, "a date");
        if (YamlScalars.IsNull(value)) return null;
        return YamlScalars.TryDate(value, out var date)
            ? date
            : throw Error(value, $"'{key.Value}' must be a date written YYYY-MM-DD, not {Describe(value)}");
    }

    private TEnum? ReadEnum<TEnum>(Scalar key)
        where TEnum : struct, Enum
    {
        var value = NextScalar(key, $"one of: {string.Join(", ", SpecNames.NamesOf<TEnum>())}");
        if (YamlScalars.IsNull(value)) return null;
        return SpecNames.TryParse<TEnum>(value.Value, out var parsed)
            ? parsed
            : throw Error(value, $"unknown {key.Value} '{Shorten(value.Value)}' (expected one of: {string.Join(", ", SpecNames.NamesOf<TEnum>())})");
    }

    private List<string> ReadTextList(Scalar key)
    {
        var list = new List<string>();
        if (SkipNull()) return list;
        var start = Next();
        if (start is not SequenceStart) throw Error(start, $"'{key.Value}' must be a list, not {Describe(start)}");
        while (Peek() is not SequenceEnd)
        {
            var item = Next();
            if (item is not Scalar scalar || YamlScalars.IsNull(scalar))
            {
                throw Error(item, $"'{key.Value}' entries must be text, not {Describe(item)}");
            }

            list.Add(scalar.Value);
        }

        Next();
        return list;
    }

    private GoalFileException Error(ParsingEvent at, string message) => Error(at.Start, message);

    private GoalFileException Error(Mark at, string message) =>
        new(new GoalFileError(_path, (int)Math.Min(at.Line, int.MaxValue), (int)Math.Min(at.Column, int.MaxValue), message));

    private static SourcePosition PositionOf(ParsingEvent e) =>
        new((int)Math.Min(e.Start.Line, int.MaxValue), (int)Math.Min(e.Start.Column, int.MaxValue));

    /// <summary>What stands where something else was expected, as a message names it.</summary>
    private static string Describe(ParsingEvent e) => e switch
    {
        MappingStart => "a mapping",
        SequenceStart => "a list",
        Scalar s when YamlScalars.IsNull(s) => "an empty value",
        Scalar { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted } s => $"the text \"{Shorten(s.Value)}\"",
        Scalar s => $"'{Shorten(s.Value)}'",
        AnchorAlias => "an alias",
        _ => "nothing",
    };

    // Messages quote what the file says, but a 10 MB scalar must not become a 10 MB message.
    private static string Shorten(string text) =>
        text.Length <= 60 ? text : string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, 57)}...");
}

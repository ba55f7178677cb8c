using AlignmentEngine.Core;
using YamlDotNet.Core.Events;

namespace AlignmentEngine.GoalFiles.Internal;

/// <summary>The document level: the stream, the top-level mapping, named periods and settings.</summary>
internal sealed partial class GoalFileParser
{
    private static readonly KeySchema TopLevelKeys = new("top-level", "as_of", "period", "periods", "settings", "goals");
    private static readonly KeySchema PeriodKeys = new("period", "start", "end");
    private static readonly KeySchema SettingsKeys = new("settings", "on_track_tolerance", "at_risk_tolerance", "max_objectives_per_owner");

    private GoalTreeDocument ReadStream()
    {
        _events.MoveNext();
        Expect<StreamStart>("the stream start");
        if (Peek() is StreamEnd)
        {
            // Comments and blank lines only: the problem is the whole file, so it is reported at its start.
            throw new GoalFileException(new GoalFileError(
                _path, SourcePosition.FileStart.Line, SourcePosition.FileStart.Column, "the file is empty; a goal file is a mapping with a 'goals' list"));
        }

        Expect<DocumentStart>("a document start");
        if (Peek() is not MappingStart)
        {
            throw Error(Peek(), $"the top level must be a mapping with a 'goals' list, not {Describe(Peek())}");
        }

        var document = ReadTopLevel();
        Expect<DocumentEnd>("the document end");
        if (Peek() is DocumentStart second)
        {
            throw Error(second, "a goal file holds one YAML document; found a second one");
        }

        return document;
    }

    private GoalTreeDocument ReadTopLevel()
    {
        BeginMapping("the top level");
        var tree = new GoalTree();
        var goals = new List<GoalDefinition>();
        var positions = new List<SourcePosition>();
        uint seen = 0;
        while (NextKey(TopLevelKeys, ref seen, out var key))
        {
            switch (key.Value)
            {
                case "as_of":
                    tree = tree with { AsOf = ReadDate(key) };
                    break;
                case "period":
                    tree = tree with { DefaultPeriod = ReadPeriodRef(key) };
                    break;
                case "periods":
                    tree = tree with { Periods = ReadPeriods(key) };
                    break;
                case "settings":
                    tree = tree with { Settings = ReadSettings(key) };
                    break;
                default:
                    ReadGoals(key, goals, positions);
                    break;
            }
        }

        return new GoalTreeDocument(tree with { Goals = goals }, positions, _path);
    }

    private Dictionary<string, Period> ReadPeriods(Scalar key)
    {
        var periods = new Dictionary<string, Period>(StringComparer.Ordinal);
        if (SkipNull()) return periods;
        BeginMapping($"'{key.Value}'");
        while (Peek() is not MappingEnd)
        {
            var nameEvent = Next();
            if (nameEvent is not Scalar name || YamlScalars.IsNull(name))
            {
                throw Error(nameEvent, $"period names must be text, not {Describe(nameEvent)}");
            }

            if (periods.ContainsKey(name.Value)) throw Error(name, $"duplicate key '{name.Value}' in periods");
            periods.Add(name.Value, ReadPeriodRange($"period '{Shorten(name.Value)}'"));
        }

        Next();
        return periods;
    }

    /// <summary>A period written in place (<c>{start, end}</c>) or the name of a declared one.</summary>
    private PeriodRef? ReadPeriodRef(Scalar key)
    {
        if (SkipNull()) return null;
        if (Peek() is MappingStart) return PeriodRef.Of(ReadPeriodRange($"'{key.Value}'"));
        var name = NextScalar(key, "a period name or a mapping with start and end");
        if (name.Value.Length == 0) throw Error(name, $"'{key.Value}' must not be an empty name");

        // An undeclared name is the core's INVALID_PERIOD finding, not a reading problem.
        return PeriodRef.Named(name.Value);
    }

    /// <summary>
    /// Both dates are required; an end before the start is read as written so that the core can report it as
    /// INVALID_PERIOD alongside every other finding.
    /// </summary>
    private Period ReadPeriodRange(string what)
    {
        var start = BeginMapping(what);
        DateOnly? from = null, to = null;
        uint seen = 0;
        while (NextKey(PeriodKeys, ref seen, out var key))
        {
            if (key.Value == "start") from = ReadDate(key);
            else to = ReadDate(key);
        }

        if (from is null || to is null)
        {
            throw Error(start, $"{what} needs both 'start' and 'end' dates (YYYY-MM-DD)");
        }

        return new Period(from.Value, to.Value);
    }

    private AlignmentSettings ReadSettings(Scalar key)
    {
        var settings = AlignmentSettings.Default;
        if (SkipNull()) return settings;
        BeginMapping($"'{key.Value}'");
        uint seen = 0;
        while (NextKey(SettingsKeys, ref seen, out var setting))
        {
            // Settings have no finding of their own, so a value the engine cannot use is refused here.
            switch (setting.Value)
            {
                case "on_track_tolerance":
                    settings = settings with { OnTrackTolerance = ReadTolerance(setting) ?? settings.OnTrackTolerance };
                    break;
                case "at_risk_tolerance":
                    settings = settings with { AtRiskTolerance = ReadTolerance(setting) ?? settings.AtRiskTolerance };
                    break;
                default:
                    var valueEvent = Peek();
                    var max = ReadInteger(setting);
                    if (max < 0) throw Error(valueEvent, $"'{setting.Value}' must not be negative");
                    settings = settings with { MaxObjectivesPerOwner = max ?? settings.MaxObjectivesPerOwner };
                    break;
            }
        }

        return settings;
    }

    private double? ReadTolerance(Scalar key)
    {
        var valueEvent = Peek();
        var value = ReadNumber(key);
        if (value is { } v && !(double.IsFinite(v) && v >= 0))
        {
            throw Error(valueEvent, $"'{key.Value}' must be a finite number >= 0, not {Describe(valueEvent)}");
        }

        return value;
    }
}

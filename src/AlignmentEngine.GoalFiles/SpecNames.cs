using AlignmentEngine.Core;

namespace AlignmentEngine.GoalFiles;

/// <summary>
/// The one mapping between the core's enums and the snake_case names the spec, the goal files and every result
/// document use (<c>key_result</c>, <c>at_least</c>, <c>on_track</c>, ...). Readers, writers, the command line and
/// the service all go through here so that a name can never be spelled two ways.
/// </summary>
public static class SpecNames
{
    private static readonly string[] GoalTypes = ["objective", "key_result"];
    private static readonly string[] GoalLevels = ["company", "department", "team", "individual"];
    private static readonly string[] GoalStates = ["draft", "active", "paused", "completed", "archived", "cancelled"];
    private static readonly string[] Directions = ["increase", "decrease", "at_least", "at_most", "milestone"];
    private static readonly string[] Aggregates = ["none", "sum"];
    private static readonly string[] Healths = ["inactive", "no_period", "not_started", "achieved", "on_track", "at_risk", "off_track"];
    private static readonly string[] Severities = ["error", "warning", "info"];

    public static string Name(this GoalType value) => GoalTypes[(int)value];

    public static string Name(this GoalLevel value) => GoalLevels[(int)value];

    public static string Name(this GoalState value) => GoalStates[(int)value];

    public static string Name(this MetricDirection value) => Directions[(int)value];

    public static string Name(this MetricAggregate value) => Aggregates[(int)value];

    public static string Name(this Health value) => Healths[(int)value];

    public static string Name(this Severity value) => Severities[(int)value];

    /// <summary>The accepted names of an enum in declaration order, for error messages and help text.</summary>
    public static IReadOnlyList<string> NamesOf<TEnum>()
        where TEnum : struct, Enum => Table<TEnum>();

    /// <summary>Parses a spec name (exact, case-sensitive: files are checked, not guessed at).</summary>
    public static bool TryParse<TEnum>(string name, out TEnum value)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(name);
        var index = Array.IndexOf(Table<TEnum>(), name);
        value = index >= 0 ? (TEnum)Enum.ToObject(typeof(TEnum), index) : default;
        return index >= 0;
    }

    // Every table is indexed by the enum's numeric value, which is 0..n-1 in declaration order for each of them.
    private static string[] Table<TEnum>()
        where TEnum : struct, Enum
    {
        var type = typeof(TEnum);
        if (type == typeof(GoalType)) return GoalTypes;
        if (type == typeof(GoalLevel)) return GoalLevels;
        if (type == typeof(GoalState)) return GoalStates;
        if (type == typeof(MetricDirection)) return Directions;
        if (type == typeof(MetricAggregate)) return Aggregates;
        if (type == typeof(Health)) return Healths;
        if (type == typeof(Severity)) return Severities;
        throw new ArgumentException($"{type.Name} has no spec names.", nameof(TEnum));
    }
}

using AlignmentEngine.Core;

namespace AlignmentEngine.Cli.Internal;

/// <summary>Node names for graph languages (n0, n1, ...), so that no goal id has to be a valid identifier there.</summary>
internal static class NodeIds
{
    public static IReadOnlyDictionary<string, string> For(IReadOnlyList<GoalDefinition> goals)
    {
        var nodes = new Dictionary<string, string>(goals.Count, StringComparer.Ordinal);
        for (var i = 0; i < goals.Count; i++) nodes[goals[i].Id] = FormattableString.Invariant($"n{i}");
        return nodes;
    }
}

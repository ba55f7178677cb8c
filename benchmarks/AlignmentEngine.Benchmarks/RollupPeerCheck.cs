using System.Data.Common;
using AlignmentEngine.Core;

namespace AlignmentEngine.Benchmarks;

/// <summary>The setup check every hand-written roll-up peer passes before it is timed: the comparison is only fair if both compute the same thing.</summary>
internal static class RollupPeerCheck
{
    /// <summary>
    /// Throws unless the rows of <paramref name="idsAndValues"/> (goal id, value) hold every goal of the graph once,
    /// each equal to the engine's value to 1e-9.
    /// </summary>
    public static void Verify(string peer, DbDataReader idsAndValues, AlignmentGraph graph, DateOnly asOf)
    {
        var checkedGoals = 0;
        while (idsAndValues.Read())
        {
            var id = idsAndValues.GetString(0);
            var mine = idsAndValues.GetDouble(1);
            var engine = graph.GetResult(id, asOf)!.Progress;
            if (Math.Abs(mine - engine) > 1e-9) throw new InvalidOperationException($"{peer} peer gives {mine:R} for '{id}', the engine {engine:R}");
            checkedGoals++;
        }

        if (checkedGoals != graph.Count) throw new InvalidOperationException($"{peer} peer holds {checkedGoals} goals, the engine {graph.Count}");
    }
}

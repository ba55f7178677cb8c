using System.Runtime.CompilerServices;

namespace AlignmentEngine.Core.Rules;

/// <summary>
/// The parts of an ORPHANED_GOAL message that the graph and a change result's deferred orphans both write, so
/// the two spell it the same; written into the caller's buffer, one allocation per message.
/// </summary>
internal static class OrphanMessages
{
    /// <summary>Follows the start when a goal has counted parents and none of them is anchored; the list of them and ")" follow.</summary>
    public const string ChainStops = "every chain upward stops at a goal that is not anchored to a company goal (through ";

    public static void AppendStart(ref DefaultInterpolatedStringHandler message, string goal)
    {
        message.AppendLiteral("goal '");
        message.AppendLiteral(goal);
        message.AppendLiteral("' is orphaned: ");
    }

    public static void AppendQuoted(ref DefaultInterpolatedStringHandler message, string id)
    {
        message.AppendLiteral("'");
        message.AppendLiteral(id);
        message.AppendLiteral("'");
    }
}

using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>One change of a scenario, said the way an analyst would: what happened to which goal, from what to what.</summary>
/// <param name="Kind">archived, reweighted, moved, ... (a stable word for json and filters).</param>
/// <param name="Goal">The goal changed (the child, for an edge).</param>
/// <param name="Text">The sentence, e.g. <c>moved D3 from C1.KR2 to C2.KR1</c>.</param>
internal sealed record ScenarioChange(string Kind, string Goal, string Text);

/// <summary>A goal whose health a scenario changed, with its level (company goals matter most).</summary>
internal sealed record HealthMove(string Id, GoalLevel? Level, Health Before, Health After);

/// <summary>
/// What a scenario's change set did, read against the graph before it: the objectives archived, the weights
/// moved, the department moved; and the goals whose health changed, highest level first.
/// </summary>
internal static class ScenarioChanges
{
    public static IReadOnlyList<ScenarioChange> Describe(AlignmentGraph graph, IReadOnlyList<GoalChange> changes) =>
        [.. changes.Select(change => Describe(graph, change))];

    /// <summary>Goals whose health differs after the change, company level first, then by id; at most <paramref name="top"/>.</summary>
    public static IReadOnlyList<HealthMove> HealthMoves(AlignmentGraph graph, ChangeResult result, DateOnly asOf, int top) =>
        [.. result.Goals
            .Where(d => d.Before?.Health != d.After?.Health && d.Before is not null && d.After is not null)
            .Select(d => new HealthMove(d.Id, graph.GetResult(d.Id, asOf)?.Level, d.Before!.Value.Health, d.After!.Value.Health))
            .OrderBy(m => m.Level is { } level ? (int)level : int.MaxValue)
            .ThenBy(m => m.Id, StringComparer.Ordinal)
            .Take(top)];

    private static ScenarioChange Describe(AlignmentGraph graph, GoalChange change) => change switch
    {
        SetState s => new("state", s.Id, $"{(s.State == GoalState.Archived ? "archived" : $"set to {s.State.Name()}")} {Named(graph, s.Id)}"),
        SetWeight w => new("weight", w.ChildId,
            $"weight of {w.ChildId} → {w.ParentId}: {Weight(graph, w.ChildId, w.ParentId)} → {GoalLabel.Weight(w.Weight)}"),
        UpsertGoal { Goal: var goal } when graph.GetDefinition(goal.Id) is { } old && Primary(old) != Primary(goal) =>
            new("move", goal.Id, $"moved {Named(graph, goal.Id)} from {Primary(old) ?? "(no parent)"} to {Primary(goal) ?? "(no parent)"}"),
        UpsertGoal u => new("upsert", u.Goal.Id, $"{(graph.GetDefinition(u.Goal.Id) is null ? "added" : "changed")} {u.Goal.Id}"),
        _ => new(change.GetType().Name, string.Empty, change.ToString()),
    };

    private static string? Primary(GoalDefinition goal) => goal.Parents.Count > 0 ? goal.Parents[0].ParentId : null;

    private static string Named(AlignmentGraph graph, string id) =>
        graph.GetDefinition(id)?.Title is { Length: > 0 } title ? $"{id} ({title})" : id;

    private static string Weight(AlignmentGraph graph, string child, string parent) =>
        graph.GetDefinition(child)?.Parents.FirstOrDefault(p => p.ParentId == parent) is { } link
            ? GoalLabel.Weight(link.Weight)
            : "(no edge)";
}

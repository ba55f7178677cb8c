using AlignmentEngine.Core;
using AlignmentEngine.Storage;

namespace AlignmentEngine.Service.Webhooks;

/// <summary>
/// What one subscription wants of a change: goals and findings under its subtree (as the tree stands once the change
/// is applied), of the kinds it names, findings of the codes it names. Empty lists mean "all".
/// </summary>
internal sealed class WebhookFilter(string? subtree, IReadOnlyList<string> kinds, IReadOnlyList<string> codes)
{
    public const string Value = "value";
    public const string Health = "health";
    public const string Appeared = "appeared";
    public const string Disappeared = "disappeared";

    public static IReadOnlyList<string> AllKinds { get; } = [Value, Health, Appeared, Disappeared];

    public static WebhookFilter Of(StoredWebhook webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return new(webhook.Subtree, webhook.Kinds, webhook.Codes);
    }

    public bool Wants(string kind) => kinds.Count == 0 || kinds.Contains(kind);

    public bool Within(AlignmentGraph graph, string goalId) => subtree is null || graph.IsWithin(goalId, subtree);

    /// <summary>Whether a goal's move is one the subscription wants: its value, its health, or both, as it asked.</summary>
    public bool WantsGoal(GoalDelta goal) =>
        (Wants(Value) && goal.Before?.Progress != goal.After?.Progress) || (Wants(Health) && goal.Before?.Health != goal.After?.Health);

    public bool WantsFinding(Finding finding) => codes.Count == 0 || codes.Contains(finding.Code.Name());
}

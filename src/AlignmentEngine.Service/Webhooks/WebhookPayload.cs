using System.Text;
using System.Text.Json;
using AlignmentEngine.Core;

namespace AlignmentEngine.Service.Webhooks;

/// <summary>
/// The JSON body of an event, in the Standard Webhooks shape <c>{"type", "timestamp", "data"}</c>. A change lists at
/// most <c>maxListed</c> goals and findings of each kind, with <c>truncated</c> set when there were more (as change
/// outcomes are bounded): the receiver reads the rest through the API.
/// </summary>
internal static class WebhookPayload
{
    public const string ChangedType = "alignment.changed";
    public const string ReplacedType = "alignment.tree_replaced";

    /// <summary>The event a change makes for one subscription; null when nothing in it is for the subscription.</summary>
    public static string? Changed(WebhookFilter filter, string tenant, long version, DateTimeOffset committedAt, ChangeResult result, AlignmentGraph graph, int maxListed)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(result);
        var goals = result.Goals.Where(g => filter.WantsGoal(g) && filter.Within(graph, g.Id)).ToList();
        var appeared = filter.Wants(WebhookFilter.Appeared) ? Findings(filter, result.FindingsAppeared, graph) : [];
        var disappeared = filter.Wants(WebhookFilter.Disappeared) ? Findings(filter, result.FindingsDisappeared, graph) : [];
        if (goals.Count == 0 && appeared.Count == 0 && disappeared.Count == 0) return null;

        return Write(ChangedType, tenant, version, committedAt, json =>
        {
            var truncated = goals.Count > maxListed || appeared.Count > maxListed || disappeared.Count > maxListed;
            json.WriteBoolean("truncated", truncated);
            json.WriteStartArray("goals");
            foreach (var goal in goals.Take(maxListed))
            {
                json.WriteStartObject();
                json.WriteString("goal_id", goal.Id);
                Snapshot(json, "before", goal.Before);
                Snapshot(json, "after", goal.After);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteFindings(json, "findings_appeared", appeared.Take(maxListed));
            WriteFindings(json, "findings_disappeared", disappeared.Take(maxListed));
        });
    }

    /// <summary>The event an import makes: every subscription is told the tree was replaced (it re-reads what it follows).</summary>
    public static string Replaced(string tenant, long version, DateTimeOffset committedAt) => Write(ReplacedType, tenant, version, committedAt, _ => { });

    private static List<Finding> Findings(WebhookFilter filter, IReadOnlyList<Finding> findings, AlignmentGraph graph) =>
        findings.Where(f => filter.WantsFinding(f) && filter.Within(graph, f.Goal)).ToList();

    private static string Write(string type, string tenant, long version, DateTimeOffset committedAt, Action<Utf8JsonWriter> data)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("timestamp", committedAt.UtcDateTime);
            json.WriteStartObject("data");
            json.WriteString("tenant", ResourceNames.Tenant(tenant));
            json.WriteNumber("version", version);
            data(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Snapshot(Utf8JsonWriter json, string name, GoalSnapshot? snapshot)
    {
        if (snapshot is not { } s)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartObject(name);
        json.WriteNumber("progress", s.Progress);
        json.WriteString("health", JsonNamingPolicy.SnakeCaseLower.ConvertName(s.Health.ToString()));
        json.WriteEndObject();
    }

    private static void WriteFindings(Utf8JsonWriter json, string name, IEnumerable<Finding> findings)
    {
        json.WriteStartArray(name);
        foreach (var finding in findings)
        {
            json.WriteStartObject();
            json.WriteString("code", finding.Code.Name());
            json.WriteString("goal_id", finding.Goal);
            json.WriteStartArray("related");
            foreach (var related in finding.Related) json.WriteStringValue(related);
            json.WriteEndArray();
            json.WriteString("message", finding.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}

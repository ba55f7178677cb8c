using System.Text;
using AlignmentEngine.Api.V1;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Service.Security;

namespace AlignmentEngine.Service;

public sealed partial class AlignmentService
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;
    private const int MaxTreeDepth = 64;

    internal GetGoalResponse GetGoal(GetGoalRequest request, Caller caller)
    {
        var (tenant, id) = ResourceNames.ParseGoal(request.Name);
        caller.Check(tenant);
        var asOf = AsOf(request.AsOf);
        return tenants.Get(tenant).Read((graph, version) => new GetGoalResponse
        {
            Goal = ToProto.Goal(tenant, graph.GetDefinition(id) ?? throw GoalNotFound(request.Name), graph.GetResult(id, asOf)),
            Version = version,
        });
    }

    internal ListGoalsResponse ListGoals(ListGoalsRequest request, Caller caller)
    {
        var tenant = caller.Allow(ResourceNames.ParseTenant(request.Parent));
        var violations = new FieldViolations();
        var asOf = Dates.AsOf(request.AsOf, violations, clock);
        var period = Dates.FromProto(request.Period, "period", violations);
        if (request.PageSize < 0) violations.Add("page_size", "must not be negative");
        var after = DecodePageToken(request.PageToken, violations);
        var state = request.State == Api.V1.GoalState.Unspecified ? (Core.GoalState?)null : ToCore.State(request.State, "state", violations);
        violations.ThrowIfAny();
        var size = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var level = ToCore.Level(request.Level);
        var health = ToCore.Health(request.Health);
        var filtered = level is not null || health is not null || period is not null || state is not null || request.Owner.Length > 0;
        return tenants.Get(tenant).Read((graph, version) =>
        {
            // A page costs what it returns: ids are sorted, filters read cheap per-goal facts, and only the goals
            // on the page are built into messages. Counting total_size under filters still visits every goal.
            var ids = graph.AllIds;
            var response = new ListGoalsResponse { Version = version };
            bool Matches(string id)
            {
                if (state is not null && graph.StateOf(id) != state) return false;
                if (request.Owner.Length > 0 && graph.OwnerOf(id) != request.Owner) return false;
                if (level is null && health is null && period is null) return true;
                var result = graph.GetResult(id, asOf)!;
                return (level is null || result.Level == level)
                    && (health is null || result.Health == health)
                    && (period is not { } p || (result.Period is { } own && own.Overlaps(p)));
            }

            var first = after is null ? 0 : FirstAfter(ids, after);
            string? last = null;

            // Unfiltered, every goal counts: start at the page and stop after it. Filtered, count them all.
            if (!filtered) response.TotalSize = ids.Count;
            for (var k = filtered ? 0 : first; k < ids.Count; k++)
            {
                var id = ids[k];
                if (filtered && !Matches(id)) continue;
                if (filtered) response.TotalSize++;
                if (k < first) continue;
                if (response.Goals.Count < size)
                {
                    response.Goals.Add(ToProto.Goal(tenant, graph.GetDefinition(id)!, graph.GetResult(id, asOf)));
                    last = id;
                    continue;
                }

                response.NextPageToken = EncodePageToken(last!);
                if (!filtered) break;
            }

            return response;
        });
    }

    /// <summary>The position of the first id after <paramref name="after"/> in the sorted ids (binary search).</summary>
    private static int FirstAfter(IReadOnlyList<string> ids, string after)
    {
        int low = 0, high = ids.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (string.CompareOrdinal(ids[mid], after) <= 0) low = mid + 1;
            else high = mid;
        }

        return low;
    }

    internal GetRollupResponse GetRollup(GetRollupRequest request, Caller caller)
    {
        var (tenant, id) = ResourceNames.ParseGoal(request.Name);
        caller.Check(tenant);
        var asOf = AsOf(request.AsOf);
        return ReadAt(tenant, asOf, (graph, version) =>
        {
            var breakdown = graph.GetBreakdown(id, asOf) ?? throw GoalNotFound(request.Name);
            var response = new GetRollupResponse
            {
                Version = version,
                Status = ToProto.Status(breakdown.Goal),
                Source = breakdown.Source.ToString().ToLowerInvariant(),
            };
            foreach (var part in breakdown.Contributions)
            {
                response.Contributions.Add(new Api.V1.Contribution
                {
                    Child = ToProto.Status(part.Child),
                    Weight = part.Weight,
                    Contributes = part.Contributes,
                    Share = part.Share,
                });
            }

            return response;
        });
    }

    internal GetTreeResponse GetTree(GetTreeRequest request, Caller caller)
    {
        var (tenant, id) = ResourceNames.ParseGoal(request.Name);
        caller.Check(tenant);
        if (request.MaxDepth is < 0 or > MaxTreeDepth) throw ServiceErrors.InvalidArgument("max_depth", $"must be between 0 and {MaxTreeDepth}");
        var asOf = AsOf(request.AsOf);
        var depth = request.HasMaxDepth ? request.MaxDepth : 1;
        return ReadAt(tenant, asOf, (graph, version) =>
        {
            if (!graph.Contains(id)) throw GoalNotFound(request.Name);
            var nodes = graph.Subtree(id, depth, out var truncated);
            var response = new GetTreeResponse { Truncated = truncated, Version = version };
            foreach (var (goal, level, via) in nodes)
            {
                response.Nodes.Add(new TreeNode
                {
                    Goal = ToProto.Goal(tenant, graph.GetDefinition(goal)!, graph.GetResult(goal, asOf)),
                    Depth = level,
                    ViaParentGoalId = via ?? string.Empty,
                });
            }

            return response;
        });
    }

    internal AnalyzeAlignmentResponse AnalyzeAlignment(AnalyzeAlignmentRequest request, Caller caller)
    {
        var tenant = caller.Allow(ResourceNames.ParseTenant(request.Parent));
        var violations = new FieldViolations();
        var asOf = Dates.AsOf(request.AsOf, violations, clock);
        if (request.SubtreeGoalId.Length > 0) ToCore.GoalId(request.SubtreeGoalId, "subtree_goal_id", violations);
        for (var k = 0; k < request.Codes.Count; k++)
        {
            if (request.Codes[k] == Api.V1.FindingCode.Unspecified) violations.Add($"codes[{k}]", "FINDING_CODE_UNSPECIFIED is not a code");
        }

        violations.ThrowIfAny();
        var codes = request.Codes.Select(c => (Core.FindingCode)((int)c - 1)).ToHashSet();
        var minimum = request.MinimumSeverity == Api.V1.Severity.Unspecified ? Core.Severity.Info : (Core.Severity)((int)request.MinimumSeverity - 1);
        var analysed = tenants.Get(tenant);
        return analysed.Read((graph, version) =>
        {
            HashSet<string>? within = null;
            if (request.SubtreeGoalId.Length > 0)
            {
                if (!graph.Contains(request.SubtreeGoalId)) throw GoalNotFound(ResourceNames.Goal(tenant, request.SubtreeGoalId));
                within = [.. graph.Subtree(request.SubtreeGoalId, int.MaxValue, out bool _).Select(n => n.Id)];
            }

            var response = new AnalyzeAlignmentResponse { Version = version };
            var findings = graph.Analyze(asOf);
            analysed.Findings.Set(findings);
            foreach (var finding in findings)
            {
                if (codes.Count > 0 && !codes.Contains(finding.Code)) continue;
                if (finding.Severity > minimum) continue;
                if (within is not null && !within.Contains(finding.Goal)) continue;
                response.Findings.Add(ToProto.Finding(finding));
            }

            var coverage = graph.Coverage();
            response.Coverage = ToProto.Coverage(coverage.Overall);
            response.Levels.AddRange(coverage.Levels.Select(l => new LevelCoverage { Level = ToProto.Level(l.Level), Coverage = ToProto.Coverage(l.Figures) }));
            response.Owners.AddRange(coverage.Owners.Select(o => new OwnerCoverage { Owner = o.Owner, Coverage = ToProto.Coverage(o.Figures) }));
            return response;
        });
    }

    /// <summary>
    /// Runs <paramref name="read"/> on the tenant as it stands (today or later), or as it stood at the end of a past
    /// <paramref name="asOf"/>, rebuilt from the change log.
    /// </summary>
    private T ReadAt<T>(string tenant, DateOnly asOf, Func<Core.AlignmentGraph, long, T> read)
    {
        if (asOf >= Today) return tenants.Get(tenant).Read(read);
        var past = history.AtEndOf(tenant, asOf) ?? throw ServiceErrors.NotFound($"tenant '{tenant}' had no goals on {asOf:yyyy-MM-dd}");
        return read(past.Graph, past.Version);
    }

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private DateOnly AsOf(Google.Type.Date? date)
    {
        var violations = new FieldViolations();
        var asOf = Dates.AsOf(date, violations, clock);
        violations.ThrowIfAny();
        return asOf;
    }

    private static Grpc.Core.RpcException GoalNotFound(string name) => ServiceErrors.NotFound($"goal '{ServiceErrors.Echo(name)}' does not exist");

    // Page tokens are opaque to clients: the last id served, base64url-encoded.
    private static string EncodePageToken(string lastId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(lastId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? DecodePageToken(string token, FieldViolations violations)
    {
        if (token.Length == 0) return null;
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
        }
        catch (FormatException)
        {
            violations.Add("page_token", "is not a token this service issued");
            return null;
        }
    }
}

using AlignmentEngine.Api.V1;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Service.Security;

namespace AlignmentEngine.Service;

public sealed partial class AlignmentService
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;
    private const int MaxTreeDepth = 64;

    // Pages of contributions (a status and three numbers each) and of tree nodes (a whole goal each): even the largest
    // page is a small part of a client's default 4 MiB message, which a goal with 200,000 children would outgrow.
    private const int DefaultPartsPerPage = 1000;
    private const int MaxPartsPerPage = 10_000;
    private const int DefaultNodesPerPage = 1000;
    private const int MaxNodesPerPage = 10_000;

    internal GetGoalResponse GetGoal(GetGoalRequest request, Caller caller)
    {
        var (tenant, id) = ResourceNames.ParseGoal(request.Name);
        caller.Check(tenant);
        var asOf = AsOf(request.AsOf);
        return tenants.Get(tenant).Read((graph, version) => new GetGoalResponse
        {
            Goal = ToProto.Goal(tenant, graph.GetDefinition(id) ?? throw ServiceErrors.GoalNotFound(request.Name), graph.GetResult(id, asOf)),
            Version = version,
        });
    }

    internal ListGoalsResponse ListGoals(ListGoalsRequest request, Caller caller)
    {
        var tenant = caller.Allow(ResourceNames.ParseTenant(request.Parent));
        var violations = new FieldViolations();
        var asOf = Dates.AsOf(request.AsOf, violations, clock);
        var period = Dates.FromProto(request.Period, "period", violations);
        var size = PageTokens.Size(request.PageSize, DefaultPageSize, MaxPageSize, violations);
        var after = PageTokens.DecodeAfterId(request.PageToken, violations);
        var state = request.State == Api.V1.GoalState.Unspecified ? (Core.GoalState?)null : ToCore.State(request.State, "state", violations);
        violations.ThrowIfAny();
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

            var first = after is null ? 0 : FirstAfter(ids.Count, k => ids[k], after);
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

                response.NextPageToken = PageTokens.AfterId(last!);
                if (!filtered) break;
            }

            return response;
        });
    }

    /// <summary>The position of the first of <paramref name="count"/> ids, sorted, after <paramref name="after"/> (binary search).</summary>
    private static int FirstAfter(int count, Func<int, string> idAt, string after)
    {
        int low = 0, high = count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (string.CompareOrdinal(idAt(mid), after) <= 0) low = mid + 1;
            else high = mid;
        }

        return low;
    }

    internal ValueTask<GetRollupResponse> GetRollup(GetRollupRequest request, Caller caller)
    {
        var (tenant, id) = ResourceNames.ParseGoal(request.Name);
        caller.Check(tenant);
        var violations = new FieldViolations();
        var asOf = Dates.AsOf(request.AsOf, violations, clock);
        var readTime = Dates.ReadTime(request.ReadTime, violations);
        var size = PageTokens.Size(request.PageSize, DefaultPartsPerPage, MaxPartsPerPage, violations);
        var after = PageTokens.DecodeAfterId(request.PageToken, violations);
        violations.ThrowIfAny();
        return ReadAtAsync(tenant, readTime, (graph, version) =>
        {
            var breakdown = graph.GetBreakdown(id, asOf) ?? throw ServiceErrors.GoalNotFound(request.Name);
            var parts = breakdown.Contributions;
            var response = new GetRollupResponse
            {
                Version = version,
                Status = ToProto.Status(breakdown.Goal),
                Source = breakdown.Source.ToString().ToLowerInvariant(),
                TotalSize = parts.Count,
            };

            // Children are sorted by id: a page starts after the last id of the one before, whatever changed since.
            var first = after is null ? 0 : FirstAfter(parts.Count, k => parts[k].Child.Id, after);
            var last = Math.Min(parts.Count, first + size);
            for (var k = first; k < last; k++)
            {
                var part = parts[k];
                response.Contributions.Add(new Api.V1.Contribution
                {
                    Child = ToProto.Status(part.Child),
                    Weight = part.Weight,
                    Contributes = part.Contributes,
                    Share = part.Share,
                });
            }

            if (last < parts.Count) response.NextPageToken = PageTokens.AfterId(parts[last - 1].Child.Id);
            return response;
        });
    }

    internal ValueTask<GetTreeResponse> GetTree(GetTreeRequest request, Caller caller)
    {
        var (tenant, id) = ResourceNames.ParseGoal(request.Name);
        caller.Check(tenant);
        var violations = new FieldViolations();
        if (request.MaxDepth is < 0 or > MaxTreeDepth) violations.Add("max_depth", $"must be between 0 and {MaxTreeDepth}");
        var asOf = Dates.AsOf(request.AsOf, violations, clock);
        var readTime = Dates.ReadTime(request.ReadTime, violations);
        var size = PageTokens.Size(request.PageSize, DefaultNodesPerPage, MaxNodesPerPage, violations);
        var position = PageTokens.DecodePosition(request.PageToken, violations);
        violations.ThrowIfAny();
        var depth = request.HasMaxDepth ? request.MaxDepth : 1;
        return ReadAtAsync(tenant, readTime, (graph, version) =>
        {
            if (!graph.Contains(id)) throw ServiceErrors.GoalNotFound(request.Name);

            // A depth-first order has no key to resume after: a page is a position in the order of one version, and a
            // token of another version would start at a goal that is now elsewhere.
            if (position is { } p && p.Version != version) throw ServiceErrors.PageOfAnotherVersion(p.Version, version);
            var nodes = graph.Subtree(id, depth, out var truncated);
            var first = position?.Position ?? 0;
            if (first > nodes.Count) throw ServiceErrors.InvalidArgument("page_token", PageTokens.NotIssued);
            var response = new GetTreeResponse { Truncated = truncated, Version = version, TotalSize = nodes.Count };
            var last = Math.Min(nodes.Count, first + size);
            for (var k = first; k < last; k++)
            {
                var (goal, level, via) = nodes[k];
                response.Nodes.Add(new TreeNode
                {
                    Goal = ToProto.Goal(tenant, graph.GetDefinition(goal)!, graph.GetResult(goal, asOf)),
                    Depth = level,
                    ViaParentGoalId = via ?? string.Empty,
                });
            }

            if (last < nodes.Count) response.NextPageToken = PageTokens.AtPosition(version, last);
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
                if (!graph.Contains(request.SubtreeGoalId)) throw ServiceErrors.GoalNotFound(ResourceNames.Goal(tenant, request.SubtreeGoalId));
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
    /// Runs <paramref name="read"/> on the tenant as it stands, or, with a <paramref name="readTime"/> in the past, as it
    /// stood then, rebuilt from the change log.
    /// </summary>
    private ValueTask<T> ReadAtAsync<T>(string tenant, DateTimeOffset? readTime, Func<Core.AlignmentGraph, long, T> read)
    {
        if (readTime is not { } at || at >= clock.GetUtcNow()) return ValueTask.FromResult(tenants.Get(tenant).Read(read));
        return ReadPastAsync(tenant, at, read);
    }

    private async ValueTask<T> ReadPastAsync<T>(string tenant, DateTimeOffset at, Func<Core.AlignmentGraph, long, T> read)
    {
        var past = await history.AtAsync(tenant, at).ConfigureAwait(false) ?? throw ServiceErrors.NotFound(ServiceErrors.TenantResource, $"tenants/{tenant}",
            $"tenant '{ServiceErrors.Echo(tenant)}' had no goals at {at:yyyy-MM-ddTHH:mm:ss.FFFFFFFZ} (read_time)");
        return read(past.Graph, past.Version);
    }

    private DateOnly AsOf(Google.Type.Date? date)
    {
        var violations = new FieldViolations();
        var asOf = Dates.AsOf(date, violations, clock);
        violations.ThrowIfAny();
        return asOf;
    }
}

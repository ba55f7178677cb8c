using AlignmentEngine.Api.V1;
using AlignmentEngine.Core;
using Grpc.Core;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Service.Telemetry;

namespace AlignmentEngine.Service;

public sealed partial class AlignmentService
{
    internal ValidateTreeResponse ValidateTree(ValidateTreeRequest request)
    {
        if (request.Tree is null) throw ServiceErrors.InvalidArgument("tree", "required");
        var violations = new FieldViolations();
        var tree = ToCore.Tree(request.Tree.Settings, request.Tree.Goals, request.Tree.AsOf, "tree.", violations);
        var asOf = Dates.FromProto(request.AsOf, "as_of", violations) ?? tree.AsOf ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        violations.ThrowIfAny();
        var report = TreeEvaluator.Evaluate(tree, asOf);
        var response = new ValidateTreeResponse { AsOf = Dates.ToProto(report.AsOf), Valid = report.Valid };
        response.Goals.AddRange(report.Goals.Select(ToProto.Status));
        response.Findings.AddRange(report.Findings.Select(ToProto.Finding));
        return response;
    }

    internal async Task<ImportTreeResponse> ImportTree(IAsyncStreamReader<ImportTreeRequest> requests, Caller caller, CancellationToken cancellationToken)
    {
        if (!await requests.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            throw ServiceErrors.InvalidArgument("parent", "the first message must name the tenant");
        }

        var first = requests.Current;
        var tenant = caller.Allow(ResourceNames.ParseTenant(first.Parent));
        RequestIds.Normalized(first.RequestId); // a malformed request_id is refused before the goals are read
        long? expectedVersion = first.HasExpectedVersion ? first.ExpectedVersion : null;
        var goals = new List<Api.V1.Goal>(first.Goals);
        var message = 1;
        while (await requests.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var next = requests.Current;
            if (next.Parent.Length > 0 || next.Settings is not null || next.HasExpectedVersion || next.RequestId.Length > 0)
            {
                throw ServiceErrors.InvalidArgument($"message[{message}]", "only the first message carries parent, settings, expected_version and request_id");
            }

            goals.AddRange(next.Goals);
            if (goals.Count > _options.MaxGoalsPerTenant)
            {
                throw ServiceErrors.ResourceExhausted("max_goals_per_tenant",
                    $"the import holds more than {_options.MaxGoalsPerTenant} goals, the limit (max_goals_per_tenant)");
            }

            message++;
        }

        var violations = new FieldViolations();
        var tree = ToCore.Tree(first.Settings, goals, null, string.Empty, violations);
        violations.ThrowIfAny();
        var build = Recomputation.BuildGraph(tenant, tree);
        if (build.Graph is not { } graph) throw ServiceErrors.InvalidTree(build.Errors, null);
        var target = tenants.GetOrCreate(tenant);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

        // The import's fingerprint is its first message without goals, then every goal: however the goals were chunked.
        var header = first.Clone();
        header.Goals.Clear();
        var key = RequestIds.Key(nameof(ImportTree), header, goals);

        // Analysed before the tenant takes the graph: afterwards another call's change may be writing to it.
        var findings = graph.Analyze(today);
        var goalCount = graph.Count;
        return target.Replace(expectedVersion, graph, findings, today, key, version =>
        {
            var response = new ImportTreeResponse { Version = version, GoalCount = goalCount };
            response.Findings.AddRange(findings.Select(ToProto.Finding));
            return response;
        });
    }

    internal async Task ExportTree(ExportTreeRequest request, IServerStreamWriter<ExportTreeResponse> responses, Caller caller, CancellationToken cancellationToken)
    {
        var tenant = caller.Allow(ResourceNames.ParseTenant(request.Parent));

        // Copy out under the lock, stream without it: a slow reader must not hold writers up.
        var (tree, version) = tenants.Get(tenant).Read((graph, v) => (graph.Export(), v));
        var chunk = new ExportTreeResponse { Version = version, Settings = ToProto.Settings(tree) };
        foreach (var goal in tree.Goals)
        {
            chunk.Goals.Add(ToProto.Goal(tenant, goal, null));
            if (chunk.Goals.Count < _options.ExportChunkSize) continue;
            await responses.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            chunk = new ExportTreeResponse();
        }

        if (chunk.Goals.Count > 0 || chunk.Settings is not null) await responses.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
    }
}

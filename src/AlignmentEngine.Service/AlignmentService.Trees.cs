using AlignmentEngine.Api.V1;
using AlignmentEngine.Core;
using Grpc.Core;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Service.Telemetry;
using AlignmentEngine.Service.Tenants;

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

    /// <summary>
    /// The front of an import: takes in the stream, checking each message as it comes, and sends its goals on to the
    /// tenant's grain in pieces (<see cref="TenantImport"/>), which imports them as one tree when the last one arrives.
    /// A stream that fails on the way discards what was sent: nothing is applied.
    /// </summary>
    internal async Task<ImportTreeResponse> ImportTree(IAsyncStreamReader<ImportTreeRequest> requests, Caller caller, CancellationToken cancellationToken)
    {
        if (!await requests.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            throw ServiceErrors.InvalidArgument("parent", "the first message must name the tenant");
        }

        var first = requests.Current;
        var tenant = caller.Allow(ResourceNames.ParseTenant(first.Parent));
        RequestIds.Normalized(first.RequestId); // a malformed request_id is refused before the goals are read
        var import = imports.Start(tenant, first);
        try
        {
            var goals = first.Goals.Count;
            await import.Add(first.Goals).ConfigureAwait(false);
            var message = 1;
            while (await requests.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var next = requests.Current;
                if (next.Parent.Length > 0 || next.Settings is not null || next.HasExpectedVersion || next.RequestId.Length > 0)
                {
                    throw ServiceErrors.InvalidArgument($"message[{message}]", "only the first message carries parent, settings, expected_version and request_id");
                }

                goals += next.Goals.Count;
                if (goals > _options.MaxGoalsPerTenant)
                {
                    throw ServiceErrors.ResourceExhausted("max_goals_per_tenant",
                        $"the import holds more than {_options.MaxGoalsPerTenant} goals, the limit (max_goals_per_tenant)");
                }

                await import.Add(next.Goals).ConfigureAwait(false);
                message++;
            }

            return await import.Finish().ConfigureAwait(false);
        }
        catch
        {
            import.Discard();
            throw;
        }
    }

    /// <summary>The grain's part of an import: the whole tree, its pieces gathered into one request, replaces the tenant's.</summary>
    internal Task<ImportTreeResponse> ImportTree(ImportTreeRequest whole, Caller caller)
    {
        var tenant = caller.Allow(ResourceNames.ParseTenant(whole.Parent));
        var violations = new FieldViolations();
        var tree = ToCore.Tree(whole.Settings, whole.Goals, null, string.Empty, violations);
        violations.ThrowIfAny();
        var build = Recomputation.BuildGraph(tenant, tree);
        if (build.Graph is not { } graph) throw ServiceErrors.InvalidTree(build.Errors, null);
        var target = tenants.GetOrCreate(tenant);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

        // The whole import, its goals gathered from every message: the same import however they were chunked.
        var key = RequestIds.Key(nameof(ImportTree), whole);

        // Analysed before the tenant takes the graph: afterwards another call's change may be writing to it.
        var findings = graph.Analyze(today);
        var goalCount = graph.Count;
        return target.ReplaceAsync(whole.HasExpectedVersion ? whole.ExpectedVersion : null, graph, findings, today, key, version =>
        {
            var response = new ImportTreeResponse { Version = version, GoalCount = goalCount };
            response.Findings.AddRange(findings.Select(ToProto.Finding));
            return response;
        });
    }

    /// <summary>The grain's part of an export: the whole tree and its version in one message, which the front cuts into chunks.</summary>
    internal ExportTreeResponse ExportTree(ExportTreeRequest request, Caller caller)
    {
        var tenant = caller.Allow(ResourceNames.ParseTenant(request.Parent));

        // Copied out under the lock: the front streams it without, so a slow reader never holds writers up.
        var (tree, version) = tenants.Get(tenant).Read((graph, v) => (graph.Export(), v));
        var whole = new ExportTreeResponse { Version = version, Settings = ToProto.Settings(tree) };
        whole.Goals.AddRange(tree.Goals.Select(goal => ToProto.Goal(tenant, goal, null)));
        return whole;
    }

    /// <summary>The front of an export: the tree from the tenant's grain, streamed in chunks of <c>export_chunk_size</c> goals.</summary>
    private async Task ExportTree(string tenant, ExportTreeRequest request, IServerStreamWriter<ExportTreeResponse> responses, CancellationToken cancellationToken)
    {
        var whole = await grains.Read(tenant, TenantMethods.ExportTree, request, ExportTreeResponse.Parser).ConfigureAwait(false);
        var chunk = new ExportTreeResponse { Version = whole.Version, Settings = whole.Settings };
        foreach (var goal in whole.Goals)
        {
            chunk.Goals.Add(goal);
            if (chunk.Goals.Count < _options.ExportChunkSize) continue;
            await responses.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            chunk = new ExportTreeResponse();
        }

        if (chunk.Goals.Count > 0 || chunk.Settings is not null) await responses.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
    }
}

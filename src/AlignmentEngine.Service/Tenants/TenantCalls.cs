using AlignmentEngine.Api.V1;
using AlignmentEngine.Grains;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Service.Security;
using Google.Protobuf;
using Grpc.Core;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// The grain's side of a call: decodes the request, runs the service's handler for the method on the tenant the
/// grain holds, and encodes the answer, or the handler's gRPC status (code, message and details) when it refused the call.
/// </summary>
internal sealed class TenantCalls
{
    // Handlers that answer from the graph alone complete at once; those that read or write the store complete with it.
    private readonly Dictionary<string, Func<byte[], Caller, ValueTask<IMessage>>> _handlers;
    private readonly AlignmentService _service;
    private readonly TenantDirectory _tenants;

    public TenantCalls(AlignmentService service, TenantDirectory tenants)
    {
        _service = service;
        _tenants = tenants;
        _handlers = new(StringComparer.Ordinal)
        {
            [TenantMethods.ApplyChanges] = async (b, c) => await service.ApplyChanges(ApplyChangesRequest.Parser.ParseFrom(b), c).ConfigureAwait(false),
            [TenantMethods.SimulateChanges] = async (b, c) => await service.SimulateChanges(SimulateChangesRequest.Parser.ParseFrom(b), c).ConfigureAwait(false),
            [TenantMethods.RecordCheckIns] = async (b, c) => await service.RecordCheckIns(RecordCheckInsRequest.Parser.ParseFrom(b), c).ConfigureAwait(false),
            [TenantMethods.GetGoal] = (b, c) => new(service.GetGoal(GetGoalRequest.Parser.ParseFrom(b), c)),
            [TenantMethods.ListGoals] = (b, c) => new(service.ListGoals(ListGoalsRequest.Parser.ParseFrom(b), c)),
            [TenantMethods.GetRollup] = async (b, c) => await service.GetRollup(GetRollupRequest.Parser.ParseFrom(b), c).ConfigureAwait(false),
            [TenantMethods.GetTree] = async (b, c) => await service.GetTree(GetTreeRequest.Parser.ParseFrom(b), c).ConfigureAwait(false),
            [TenantMethods.AnalyzeAlignment] = (b, c) => new(service.AnalyzeAlignment(AnalyzeAlignmentRequest.Parser.ParseFrom(b), c)),
            [TenantMethods.ExportTree] = (b, c) => new(service.ExportTree(ExportTreeRequest.Parser.ParseFrom(b), c)),
            [TenantMethods.GetProgressHistory] = async (b, c) => await service.GetProgressHistory(GetProgressHistoryRequest.Parser.ParseFrom(b), c).ConfigureAwait(false),
            [TenantMethods.CreateWebhook] = async (b, c) => await service.CreateWebhook(CreateWebhookRequest.Parser.ParseFrom(b), c).ConfigureAwait(false),
            [TenantMethods.ListWebhooks] = async (b, c) => await service.ListWebhooks(ListWebhooksRequest.Parser.ParseFrom(b), c).ConfigureAwait(false),
            [TenantMethods.DeleteWebhook] = async (b, c) => await service.DeleteWebhook(DeleteWebhookRequest.Parser.ParseFrom(b), c).ConfigureAwait(false),
            [TenantMethods.RotateWebhookSecret] = async (b, c) => await service.RotateWebhookSecret(RotateWebhookSecretRequest.Parser.ParseFrom(b), c).ConfigureAwait(false),
            [TenantMethods.ListFailedWebhookDeliveries] = async (b, c) =>
                await service.ListFailedWebhookDeliveries(ListFailedWebhookDeliveriesRequest.Parser.ParseFrom(b), c).ConfigureAwait(false),
            [TenantMethods.RedeliverWebhook] = async (b, c) => await service.RedeliverWebhook(RedeliverWebhookRequest.Parser.ParseFrom(b), c).ConfigureAwait(false),
        };
    }

    public ValueTask<TenantReply> RunAsync(string tenant, TenantCall call)
    {
        if (!_handlers.TryGetValue(call.Method, out var handler)) throw new InvalidOperationException($"no tenant method '{call.Method}'");
        return AnswerAsync(() => handler(call.Request, Caller.InGrainOf(tenant)));
    }

    /// <summary>
    /// A piece of an import (<see cref="ImportStaging"/>): the last one runs the import, on the whole request as the
    /// pieces gathered it; any other answers an empty response.
    /// </summary>
    public ValueTask<TenantReply> ImportAsync(string tenant, ImportStaging staging, ImportPiece piece) => AnswerAsync(async () =>
        staging.Add(tenant, piece) is { } whole ? await _service.ImportTree(whole, Caller.InGrainOf(tenant)).ConfigureAwait(false) : new ImportTreeResponse());

    /// <summary>The handler's response, or the gRPC status (code, message and details) it refused the call with.</summary>
    private static async ValueTask<TenantReply> AnswerAsync(Func<ValueTask<IMessage>> handle)
    {
        try
        {
            return TenantReply.Answered((await handle().ConfigureAwait(false)).ToByteArray());
        }
        catch (RpcException e)
        {
            var status = e.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)e.StatusCode, Message = e.Status.Detail };
            var cause = e.Status.DebugException is { } debug ? $"{debug.GetType().Name}: {debug.Message}" : null;
            return TenantReply.Failed(status.ToByteArray(), cause);
        }
    }

    /// <summary>Seeds the tenant with the tree, which the front found valid (<see cref="TenantGrains.Seed"/>).</summary>
    public async Task<SeedReply> SeedAsync(string tenant, SeedRequest request)
    {
        var encoded = Api.V1.GoalTree.Parser.ParseFrom(request.Tree);
        var violations = new FieldViolations();
        var tree = ToCore.Tree(encoded.Settings, encoded.Goals, encoded.AsOf, "tree.", violations);
        violations.ThrowIfAny();
        var seeded = await _tenants.SeedAsync(tenant, tree, request.Replace).ConfigureAwait(false);
        if (seeded.Outcome == SeedOutcome.Invalid) throw ServiceErrors.InvalidTree(seeded.Errors, null);
        return new SeedReply(seeded.Outcome, seeded.Version);
    }

    public Task<WatchBatch> ChangesAsync(Tenant tenant, WatchRequest request) => _service.ChangesAsync(tenant, request);
}

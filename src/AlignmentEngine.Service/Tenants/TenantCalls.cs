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
    private readonly Dictionary<string, Func<byte[], Caller, IMessage>> _handlers;
    private readonly AlignmentService _service;
    private readonly TenantDirectory _tenants;

    public TenantCalls(AlignmentService service, TenantDirectory tenants)
    {
        _service = service;
        _tenants = tenants;
        _handlers = new(StringComparer.Ordinal)
        {
            [TenantMethods.ApplyChanges] = (b, c) => service.ApplyChanges(ApplyChangesRequest.Parser.ParseFrom(b), c),
            [TenantMethods.SimulateChanges] = (b, c) => service.SimulateChanges(SimulateChangesRequest.Parser.ParseFrom(b), c),
            [TenantMethods.RecordCheckIns] = (b, c) => service.RecordCheckIns(RecordCheckInsRequest.Parser.ParseFrom(b), c),
            [TenantMethods.GetGoal] = (b, c) => service.GetGoal(GetGoalRequest.Parser.ParseFrom(b), c),
            [TenantMethods.ListGoals] = (b, c) => service.ListGoals(ListGoalsRequest.Parser.ParseFrom(b), c),
            [TenantMethods.GetRollup] = (b, c) => service.GetRollup(GetRollupRequest.Parser.ParseFrom(b), c),
            [TenantMethods.GetTree] = (b, c) => service.GetTree(GetTreeRequest.Parser.ParseFrom(b), c),
            [TenantMethods.AnalyzeAlignment] = (b, c) => service.AnalyzeAlignment(AnalyzeAlignmentRequest.Parser.ParseFrom(b), c),
            [TenantMethods.ExportTree] = (b, c) => service.ExportTree(ExportTreeRequest.Parser.ParseFrom(b), c),
            [TenantMethods.GetProgressHistory] = (b, c) => service.GetProgressHistory(GetProgressHistoryRequest.Parser.ParseFrom(b), c),
            [TenantMethods.CreateWebhook] = (b, c) => service.CreateWebhook(CreateWebhookRequest.Parser.ParseFrom(b), c),
            [TenantMethods.ListWebhooks] = (b, c) => service.ListWebhooks(ListWebhooksRequest.Parser.ParseFrom(b), c),
            [TenantMethods.DeleteWebhook] = (b, c) => service.DeleteWebhook(DeleteWebhookRequest.Parser.ParseFrom(b), c),
            [TenantMethods.RotateWebhookSecret] = (b, c) => service.RotateWebhookSecret(RotateWebhookSecretRequest.Parser.ParseFrom(b), c),
            [TenantMethods.ListFailedWebhookDeliveries] = (b, c) => service.ListFailedWebhookDeliveries(ListFailedWebhookDeliveriesRequest.Parser.ParseFrom(b), c),
            [TenantMethods.RedeliverWebhook] = (b, c) => service.RedeliverWebhook(RedeliverWebhookRequest.Parser.ParseFrom(b), c),
        };
    }

    public TenantReply Run(string tenant, TenantCall call)
    {
        if (!_handlers.TryGetValue(call.Method, out var handler)) throw new InvalidOperationException($"no tenant method '{call.Method}'");
        return Answer(() => handler(call.Request, Caller.InGrainOf(tenant)));
    }

    /// <summary>
    /// A piece of an import (<see cref="ImportStaging"/>): the last one runs the import, on the whole request as the
    /// pieces gathered it; any other answers an empty response.
    /// </summary>
    public TenantReply Import(string tenant, ImportStaging staging, ImportPiece piece) => Answer(() =>
        staging.Add(tenant, piece) is { } whole ? _service.ImportTree(whole, Caller.InGrainOf(tenant)) : new ImportTreeResponse());

    /// <summary>The handler's response, or the gRPC status (code, message and details) it refused the call with.</summary>
    private static TenantReply Answer(Func<IMessage> handle)
    {
        try
        {
            return TenantReply.Answered(handle().ToByteArray());
        }
        catch (RpcException e)
        {
            var status = e.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)e.StatusCode, Message = e.Status.Detail };
            var cause = e.Status.DebugException is { } debug ? $"{debug.GetType().Name}: {debug.Message}" : null;
            return TenantReply.Failed(status.ToByteArray(), cause);
        }
    }

    /// <summary>Seeds the tenant with the tree, which the front found valid (<see cref="TenantGrains.Seed"/>).</summary>
    public SeedReply Seed(string tenant, SeedRequest request)
    {
        var encoded = Api.V1.GoalTree.Parser.ParseFrom(request.Tree);
        var violations = new FieldViolations();
        var tree = ToCore.Tree(encoded.Settings, encoded.Goals, encoded.AsOf, "tree.", violations);
        violations.ThrowIfAny();
        var seeded = _tenants.Seed(tenant, tree, request.Replace);
        if (seeded.Outcome == SeedOutcome.Invalid) throw ServiceErrors.InvalidTree(seeded.Errors, null);
        return new SeedReply(seeded.Outcome, seeded.Version);
    }

    public WatchBatch Changes(Tenant tenant, WatchRequest request) => _service.Changes(tenant, request);
}

using AlignmentEngine.Api.V1;
using AlignmentEngine.Rpc;
using AlignmentEngine.Service.Tenants;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service;

/// <summary>
/// The handlers of <c>okr.alignment.v1.AlignmentService</c>, one method per RPC. Each parses and checks its
/// request (INVALID_ARGUMENT with every field violation), does its work on one tenant's graph under that
/// tenant's lock, and maps the core's answer back. Statuses are built by <see cref="ServiceErrors"/>.
/// </summary>
public sealed partial class AlignmentService(TenantDirectory tenants, TenantHistory history, IOptions<AlignmentServiceOptions> options, TimeProvider clock)
{
    private readonly AlignmentServiceOptions _options = options.Value;

    /// <summary>Binds every RPC of the contract to its handler.</summary>
    public static void Bind(GrpcServiceBuilder<AlignmentService> service)
    {
        ArgumentNullException.ThrowIfNull(service);
        service
            .Unary<ApplyChangesRequest, ApplyChangesResponse>("ApplyChanges", (s, r, c) => Task.FromResult(s.ApplyChanges(r)))
            .Unary<SimulateChangesRequest, SimulateChangesResponse>("SimulateChanges", (s, r, c) => Task.FromResult(s.SimulateChanges(r)))
            .Unary<RecordCheckInsRequest, RecordCheckInsResponse>("RecordCheckIns", (s, r, c) => Task.FromResult(s.RecordCheckIns(r)))
            .Unary<GetGoalRequest, GetGoalResponse>("GetGoal", (s, r, c) => Task.FromResult(s.GetGoal(r)))
            .Unary<ListGoalsRequest, ListGoalsResponse>("ListGoals", (s, r, c) => Task.FromResult(s.ListGoals(r)))
            .Unary<GetRollupRequest, GetRollupResponse>("GetRollup", (s, r, c) => Task.FromResult(s.GetRollup(r)))
            .Unary<GetTreeRequest, GetTreeResponse>("GetTree", (s, r, c) => Task.FromResult(s.GetTree(r)))
            .Unary<AnalyzeAlignmentRequest, AnalyzeAlignmentResponse>("AnalyzeAlignment", (s, r, c) => Task.FromResult(s.AnalyzeAlignment(r)))
            .Unary<ValidateTreeRequest, ValidateTreeResponse>("ValidateTree", (s, r, c) => Task.FromResult(s.ValidateTree(r)))
            .ClientStreaming<ImportTreeRequest, ImportTreeResponse>("ImportTree", (s, r, c) => s.ImportTree(r, c.CancellationToken))
            .ServerStreaming<ExportTreeRequest, ExportTreeResponse>("ExportTree", (s, r, w, c) => s.ExportTree(r, w, c.CancellationToken))
            .ServerStreaming<WatchRollupsRequest, WatchRollupsResponse>("WatchRollups", (s, r, w, c) => s.WatchRollups(r, w, c))
            .Unary<GetProgressHistoryRequest, GetProgressHistoryResponse>("GetProgressHistory", (s, r, c) => Task.FromResult(s.GetProgressHistory(r)));
    }

    /// <summary>The service's descriptor, for registration and reflection.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => AlignmentServiceReflection.Descriptor.Services[0];
}

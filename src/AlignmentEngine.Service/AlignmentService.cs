using AlignmentEngine.Api.V1;
using AlignmentEngine.Service.Limits;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Service.Tenants;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Contract = AlignmentEngine.Api.V1.AlignmentService;

namespace AlignmentEngine.Service;

/// <summary>
/// The handlers of <c>okr.alignment.v1.AlignmentService</c>, one override of the generated base class per RPC. Each
/// parses and checks its request (INVALID_ARGUMENT with every field violation), does its work on one tenant's graph
/// under that tenant's lock, and maps the core's answer back. Statuses are built by <see cref="ServiceErrors"/>.
/// The API key, the limits, telemetry and the mapping of unexpected failures are not here: <see cref="Pipeline.CallPipeline"/>
/// runs them around every call and hands the handler the <see cref="Caller"/> it admitted.
/// </summary>
[BindServiceMethod(typeof(Pipeline.StrictUtf8Binding), nameof(Pipeline.StrictUtf8Binding.BindService))]
public sealed partial class AlignmentService(
    TenantDirectory tenants, TenantHistory history, Authorizer authorizer, IOptions<AlignmentServiceOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime)
    : Contract.AlignmentServiceBase
{
    private readonly AlignmentServiceOptions _options = options.Value;
    private readonly OpenSlots _watchers = new(options.Value.MaxWatchersPerTenant, (tenant, open) => ServiceErrors.ResourceExhausted("max_watchers_per_tenant",
        $"tenant '{ServiceErrors.Echo(tenant)}' already has {open} open WatchRollups streams; the limit (max_watchers_per_tenant) is {options.Value.MaxWatchersPerTenant}"));

    public override Task<ApplyChangesResponse> ApplyChanges(ApplyChangesRequest request, ServerCallContext context) => Task.FromResult(ApplyChanges(request, Caller.Of(context)));

    public override Task<SimulateChangesResponse> SimulateChanges(SimulateChangesRequest request, ServerCallContext context) => Task.FromResult(SimulateChanges(request, Caller.Of(context)));

    public override Task<RecordCheckInsResponse> RecordCheckIns(RecordCheckInsRequest request, ServerCallContext context) => Task.FromResult(RecordCheckIns(request, Caller.Of(context)));

    public override Task<GetGoalResponse> GetGoal(GetGoalRequest request, ServerCallContext context) => Task.FromResult(GetGoal(request, Caller.Of(context)));

    public override Task<ListGoalsResponse> ListGoals(ListGoalsRequest request, ServerCallContext context) => Task.FromResult(ListGoals(request, Caller.Of(context)));

    public override Task<GetRollupResponse> GetRollup(GetRollupRequest request, ServerCallContext context) => Task.FromResult(GetRollup(request, Caller.Of(context)));

    public override Task<GetTreeResponse> GetTree(GetTreeRequest request, ServerCallContext context) => Task.FromResult(GetTree(request, Caller.Of(context)));

    public override Task<AnalyzeAlignmentResponse> AnalyzeAlignment(AnalyzeAlignmentRequest request, ServerCallContext context) => Task.FromResult(AnalyzeAlignment(request, Caller.Of(context)));

    public override Task<ValidateTreeResponse> ValidateTree(ValidateTreeRequest request, ServerCallContext context) => Task.FromResult(ValidateTree(request));

    public override Task<ImportTreeResponse> ImportTree(IAsyncStreamReader<ImportTreeRequest> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ImportTree(requestStream, Caller.Of(context), context.CancellationToken);
    }

    public override Task ExportTree(ExportTreeRequest request, IServerStreamWriter<ExportTreeResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExportTree(request, responseStream, Caller.Of(context), context.CancellationToken);
    }

    public override Task WatchRollups(WatchRollupsRequest request, IServerStreamWriter<WatchRollupsResponse> responseStream, ServerCallContext context) =>
        WatchRollups(request, responseStream, Caller.Of(context), context);

    public override Task<GetProgressHistoryResponse> GetProgressHistory(GetProgressHistoryRequest request, ServerCallContext context) => Task.FromResult(GetProgressHistory(request, Caller.Of(context)));

    /// <summary>The service's descriptor, for reflection and for the scope each method needs.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => Contract.Descriptor;
}

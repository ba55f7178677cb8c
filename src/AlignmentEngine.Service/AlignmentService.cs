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
/// The service <c>okr.alignment.v1.AlignmentService</c>, in two halves. The front is one override of the generated base
/// class per RPC: it names the tenant (checking the caller may use it) and calls that tenant's grain, wherever in the
/// cluster it is active (<see cref="TenantGrains"/>). The handlers (internal, one per RPC) are what the grain runs
/// (<see cref="TenantCalls"/>): each parses and checks its request (INVALID_ARGUMENT with every field violation), does
/// its work on the tenant's graph under the tenant's lock, and maps the core's answer back. Statuses are built by
/// <see cref="ServiceErrors"/>. The API key, the limits, telemetry and the mapping of unexpected failures are not here:
/// <see cref="Pipeline.CallPipeline"/> runs them around every call and hands the front the <see cref="Caller"/> it admitted.
/// REST/JSON transcoding calls the same overrides, so it goes through the grain too.
/// </summary>
[BindServiceMethod(typeof(Pipeline.StrictUtf8Binding), nameof(Pipeline.StrictUtf8Binding.BindService))]
public sealed partial class AlignmentService(
    TenantDirectory tenants, TenantGrains grains, TenantImports imports, TenantHistory history, Authorizer authorizer, IOptions<AlignmentServiceOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime)
    : Contract.AlignmentServiceBase
{
    private readonly AlignmentServiceOptions _options = options.Value;
    private readonly OpenSlots _watchers = new(options.Value.MaxWatchersPerTenant, (tenant, open) => ServiceErrors.ResourceExhausted("max_watchers_per_tenant",
        $"tenant '{ServiceErrors.Echo(tenant)}' already has {open} open WatchRollups streams; the limit (max_watchers_per_tenant) is {options.Value.MaxWatchersPerTenant}"));

    public override Task<ApplyChangesResponse> ApplyChanges(ApplyChangesRequest request, ServerCallContext context) =>
        grains.Write(Parent(request.Parent, context), TenantMethods.ApplyChanges, request, ApplyChangesResponse.Parser);

    public override Task<SimulateChangesResponse> SimulateChanges(SimulateChangesRequest request, ServerCallContext context) =>
        grains.Write(Parent(request.Parent, context), TenantMethods.SimulateChanges, request, SimulateChangesResponse.Parser);

    public override Task<RecordCheckInsResponse> RecordCheckIns(RecordCheckInsRequest request, ServerCallContext context) =>
        grains.Write(Parent(request.Parent, context), TenantMethods.RecordCheckIns, request, RecordCheckInsResponse.Parser);

    public override Task<GetGoalResponse> GetGoal(GetGoalRequest request, ServerCallContext context) =>
        grains.Read(Owner(request.Name, context), TenantMethods.GetGoal, request, GetGoalResponse.Parser);

    public override Task<ListGoalsResponse> ListGoals(ListGoalsRequest request, ServerCallContext context) =>
        grains.Read(Parent(request.Parent, context), TenantMethods.ListGoals, request, ListGoalsResponse.Parser);

    public override Task<GetRollupResponse> GetRollup(GetRollupRequest request, ServerCallContext context) =>
        grains.Read(Owner(request.Name, context), TenantMethods.GetRollup, request, GetRollupResponse.Parser);

    public override Task<GetTreeResponse> GetTree(GetTreeRequest request, ServerCallContext context) =>
        grains.Read(Owner(request.Name, context), TenantMethods.GetTree, request, GetTreeResponse.Parser);

    public override Task<AnalyzeAlignmentResponse> AnalyzeAlignment(AnalyzeAlignmentRequest request, ServerCallContext context) =>
        grains.Read(Parent(request.Parent, context), TenantMethods.AnalyzeAlignment, request, AnalyzeAlignmentResponse.Parser);

    // Validation needs no tenant: it runs in the front.
    public override Task<ValidateTreeResponse> ValidateTree(ValidateTreeRequest request, ServerCallContext context) => Task.FromResult(ValidateTree(request));

    public override Task<ImportTreeResponse> ImportTree(IAsyncStreamReader<ImportTreeRequest> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ImportTree(requestStream, Caller.Of(context), context.CancellationToken);
    }

    public override Task ExportTree(ExportTreeRequest request, IServerStreamWriter<ExportTreeResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExportTree(Parent(request.Parent, context), request, responseStream, context.CancellationToken);
    }

    public override Task WatchRollups(WatchRollupsRequest request, IServerStreamWriter<WatchRollupsResponse> responseStream, ServerCallContext context) =>
        WatchRollups(request, responseStream, Caller.Of(context), context);

    public override Task<GetProgressHistoryResponse> GetProgressHistory(GetProgressHistoryRequest request, ServerCallContext context) =>
        grains.Read(Owner(request.Name, context), TenantMethods.GetProgressHistory, request, GetProgressHistoryResponse.Parser);

    /// <summary>The service's descriptor, for reflection and for the scope each method needs.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => Contract.Descriptor;

    /// <summary>The tenant a request's <c>parent</c> names, when the caller may use it (NOT_FOUND otherwise).</summary>
    private static string Parent(string parent, ServerCallContext context) => Caller.Of(context).Allow(ResourceNames.ParseTenant(parent));

    /// <summary>The tenant of the goal a request's <c>name</c> names, when the caller may use it (NOT_FOUND otherwise).</summary>
    private static string Owner(string name, ServerCallContext context)
    {
        var (tenant, _) = ResourceNames.ParseGoal(name);
        Caller.Of(context).Check(tenant);
        return tenant;
    }
}

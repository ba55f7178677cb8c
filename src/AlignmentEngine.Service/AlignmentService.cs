using AlignmentEngine.Api.V1;
using AlignmentEngine.Rpc;
using AlignmentEngine.Service.Limits;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Service.Telemetry;
using AlignmentEngine.Service.Tenants;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service;

/// <summary>
/// The handlers of <c>okr.alignment.v1.AlignmentService</c>, one method per RPC. Each parses and checks its
/// request (INVALID_ARGUMENT with every field violation), does its work on one tenant's graph under that
/// tenant's lock, and maps the core's answer back. Statuses are built by <see cref="ServiceErrors"/>. Every call's
/// API key is checked here, in <see cref="Bind"/>, before its handler runs; the handler then lets the
/// <see cref="Caller"/> admit the tenant it names.
/// </summary>
public sealed partial class AlignmentService(TenantDirectory tenants, TenantHistory history, IOptions<AlignmentServiceOptions> options, TimeProvider clock, Authorizer authorizer, IHostApplicationLifetime lifetime)
{
    private readonly AlignmentServiceOptions _options = options.Value;
    private readonly OpenSlots _watchers = new(options.Value.MaxWatchersPerTenant, (tenant, open) => ServiceErrors.ResourceExhausted("max_watchers_per_tenant",
        $"tenant '{tenant}' already has {open} open WatchRollups streams; the limit (max_watchers_per_tenant) is {options.Value.MaxWatchersPerTenant}"));

    /// <summary>Binds every RPC of the contract to its handler.</summary>
    public static void Bind(GrpcServiceBuilder<AlignmentService> service)
    {
        ArgumentNullException.ThrowIfNull(service);
        service
            .Unary<ApplyChangesRequest, ApplyChangesResponse>("ApplyChanges", (s, r, c) => RpcTelemetry.Unary(c, () => Task.FromResult(s.ApplyChanges(r, s.Authorize(c, ApiScopes.Write)))))
            .Unary<SimulateChangesRequest, SimulateChangesResponse>("SimulateChanges", (s, r, c) => RpcTelemetry.Unary(c, () => Task.FromResult(s.SimulateChanges(r, s.Authorize(c, ApiScopes.Read)))))
            .Unary<RecordCheckInsRequest, RecordCheckInsResponse>("RecordCheckIns", (s, r, c) => RpcTelemetry.Unary(c, () => Task.FromResult(s.RecordCheckIns(r, s.Authorize(c, ApiScopes.Write)))))
            .Unary<GetGoalRequest, GetGoalResponse>("GetGoal", (s, r, c) => RpcTelemetry.Unary(c, () => Task.FromResult(s.GetGoal(r, s.Authorize(c, ApiScopes.Read)))))
            .Unary<ListGoalsRequest, ListGoalsResponse>("ListGoals", (s, r, c) => RpcTelemetry.Unary(c, () => Task.FromResult(s.ListGoals(r, s.Authorize(c, ApiScopes.Read)))))
            .Unary<GetRollupRequest, GetRollupResponse>("GetRollup", (s, r, c) => RpcTelemetry.Unary(c, () => Task.FromResult(s.GetRollup(r, s.Authorize(c, ApiScopes.Read)))))
            .Unary<GetTreeRequest, GetTreeResponse>("GetTree", (s, r, c) => RpcTelemetry.Unary(c, () => Task.FromResult(s.GetTree(r, s.Authorize(c, ApiScopes.Read)))))
            .Unary<AnalyzeAlignmentRequest, AnalyzeAlignmentResponse>("AnalyzeAlignment", (s, r, c) => RpcTelemetry.Unary(c, () => Task.FromResult(s.AnalyzeAlignment(r, s.Authorize(c, ApiScopes.Read)))))
            .Unary<ValidateTreeRequest, ValidateTreeResponse>("ValidateTree", (s, r, c) => RpcTelemetry.Unary(c, () =>
            {
                // No tenant is named: any valid key may validate a tree.
                s.Authorize(c, scope: null);
                return Task.FromResult(s.ValidateTree(r));
            }))
            .ClientStreaming<ImportTreeRequest, ImportTreeResponse>("ImportTree", (s, r, c) => RpcTelemetry.Unary(c, () => s.ImportTree(r, s.Authorize(c, ApiScopes.Write), c.CancellationToken)))
            .ServerStreaming<ExportTreeRequest, ExportTreeResponse>("ExportTree", (s, r, w, c) => RpcTelemetry.Streaming(c, () => s.ExportTree(r, w, s.Authorize(c, ApiScopes.Read), c.CancellationToken)))
            .ServerStreaming<WatchRollupsRequest, WatchRollupsResponse>("WatchRollups", (s, r, w, c) => RpcTelemetry.Streaming(c, () => s.WatchRollups(r, w, s.Authorize(c, ApiScopes.Read), c)))
            .Unary<GetProgressHistoryRequest, GetProgressHistoryResponse>("GetProgressHistory", (s, r, c) => RpcTelemetry.Unary(c, () => Task.FromResult(s.GetProgressHistory(r, s.Authorize(c, ApiScopes.Read)))));
    }

    private Caller Authorize(ServerCallContext context, string? scope) => authorizer.Authenticate(context, scope);

    /// <summary>The service's descriptor, for registration and reflection.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => AlignmentServiceReflection.Descriptor.Services[0];
}

using AlignmentEngine.Api.V1;
using AlignmentEngine.Rpc;

namespace AlignmentEngine.Api;

/// <summary>
/// A typed client for <c>okr.alignment.v1.AlignmentService</c> on a <see cref="GrpcChannel"/>: one method per RPC.
/// Failures surface as <see cref="RpcException"/> with the status code, message and rich details.
/// </summary>
public sealed class AlignmentClient(GrpcChannel channel)
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = AlignmentServiceReflection.Descriptor.Services[0];
    private static readonly GrpcMethod<ApplyChangesRequest, ApplyChangesResponse> ApplyChangesMethod = new(Service.FindMethodByName("ApplyChanges"));
    private static readonly GrpcMethod<SimulateChangesRequest, SimulateChangesResponse> SimulateChangesMethod = new(Service.FindMethodByName("SimulateChanges"));
    private static readonly GrpcMethod<RecordCheckInsRequest, RecordCheckInsResponse> RecordCheckInsMethod = new(Service.FindMethodByName("RecordCheckIns"));
    private static readonly GrpcMethod<GetGoalRequest, GetGoalResponse> GetGoalMethod = new(Service.FindMethodByName("GetGoal"));
    private static readonly GrpcMethod<ListGoalsRequest, ListGoalsResponse> ListGoalsMethod = new(Service.FindMethodByName("ListGoals"));
    private static readonly GrpcMethod<GetRollupRequest, GetRollupResponse> GetRollupMethod = new(Service.FindMethodByName("GetRollup"));
    private static readonly GrpcMethod<GetTreeRequest, GetTreeResponse> GetTreeMethod = new(Service.FindMethodByName("GetTree"));
    private static readonly GrpcMethod<AnalyzeAlignmentRequest, AnalyzeAlignmentResponse> AnalyzeAlignmentMethod = new(Service.FindMethodByName("AnalyzeAlignment"));
    private static readonly GrpcMethod<ValidateTreeRequest, ValidateTreeResponse> ValidateTreeMethod = new(Service.FindMethodByName("ValidateTree"));
    private static readonly GrpcMethod<ImportTreeRequest, ImportTreeResponse> ImportTreeMethod = new(Service.FindMethodByName("ImportTree"));
    private static readonly GrpcMethod<ExportTreeRequest, ExportTreeResponse> ExportTreeMethod = new(Service.FindMethodByName("ExportTree"));
    private static readonly GrpcMethod<WatchRollupsRequest, WatchRollupsResponse> WatchRollupsMethod = new(Service.FindMethodByName("WatchRollups"));
    private static readonly GrpcMethod<GetProgressHistoryRequest, GetProgressHistoryResponse> GetProgressHistoryMethod = new(Service.FindMethodByName("GetProgressHistory"));

    public Task<ApplyChangesResponse> ApplyChangesAsync(ApplyChangesRequest request, CallOptions options = default) => channel.UnaryAsync(ApplyChangesMethod, request, options);

    public Task<SimulateChangesResponse> SimulateChangesAsync(SimulateChangesRequest request, CallOptions options = default) => channel.UnaryAsync(SimulateChangesMethod, request, options);

    public Task<RecordCheckInsResponse> RecordCheckInsAsync(RecordCheckInsRequest request, CallOptions options = default) => channel.UnaryAsync(RecordCheckInsMethod, request, options);

    public Task<GetGoalResponse> GetGoalAsync(GetGoalRequest request, CallOptions options = default) => channel.UnaryAsync(GetGoalMethod, request, options);

    public Task<ListGoalsResponse> ListGoalsAsync(ListGoalsRequest request, CallOptions options = default) => channel.UnaryAsync(ListGoalsMethod, request, options);

    public Task<GetRollupResponse> GetRollupAsync(GetRollupRequest request, CallOptions options = default) => channel.UnaryAsync(GetRollupMethod, request, options);

    public Task<GetTreeResponse> GetTreeAsync(GetTreeRequest request, CallOptions options = default) => channel.UnaryAsync(GetTreeMethod, request, options);

    public Task<AnalyzeAlignmentResponse> AnalyzeAlignmentAsync(AnalyzeAlignmentRequest request, CallOptions options = default) => channel.UnaryAsync(AnalyzeAlignmentMethod, request, options);

    public Task<ValidateTreeResponse> ValidateTreeAsync(ValidateTreeRequest request, CallOptions options = default) => channel.UnaryAsync(ValidateTreeMethod, request, options);

    /// <summary>Client streaming: write the header message then goal chunks to <c>RequestStream</c>, complete it, await <c>ResponseAsync</c>.</summary>
    public GrpcCall<ImportTreeRequest, ImportTreeResponse> ImportTree(CallOptions options = default) => channel.ClientStreaming(ImportTreeMethod, options);

    public GrpcCall<ExportTreeRequest, ExportTreeResponse> ExportTree(ExportTreeRequest request, CallOptions options = default) => channel.ServerStreaming(ExportTreeMethod, request, options);

    public GrpcCall<WatchRollupsRequest, WatchRollupsResponse> WatchRollups(WatchRollupsRequest request, CallOptions options = default) => channel.ServerStreaming(WatchRollupsMethod, request, options);

    public Task<GetProgressHistoryResponse> GetProgressHistoryAsync(GetProgressHistoryRequest request, CallOptions options = default) => channel.UnaryAsync(GetProgressHistoryMethod, request, options);
}

using AlignmentEngine.Api.V1;
using AlignmentEngine.Grains;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Service.Telemetry;
using Google.Protobuf;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// The front's side of a call: sends it to the tenant's grain, wherever in the cluster that is activated, and turns
/// the answer back into the response, or into the same gRPC status the handler gave; a grain on a silo that died under
/// the call is UNAVAILABLE, which the client retries, not a server fault.
/// </summary>
public sealed class TenantGrains(IGrainFactory grains)
{
    private readonly TenantGrainReferences _references = new(grains);

    /// <summary>
    /// Runs a reading call on the tenant's grain. The response is as the front sends it: one that can travel pre-encoded
    /// carries the grain's bytes with its fields unset (<see cref="Pipeline.PreEncodedResponses.Decoded{T}"/> sets them).
    /// </summary>
    internal async Task<TResponse> Read<TResponse>(string tenant, string method, IMessage request, MessageParser<TResponse> parser)
        where TResponse : IMessage<TResponse> =>
        Answer(await Grain(tenant).Read(new TenantCall(method, request.ToByteArray())).Mapped(tenant).ConfigureAwait(false), parser);

    /// <summary>Runs a changing call on the tenant's grain; the response is as <see cref="Read{TResponse}"/> says.</summary>
    internal async Task<TResponse> Write<TResponse>(string tenant, string method, IMessage request, MessageParser<TResponse> parser)
        where TResponse : IMessage<TResponse> =>
        Answer(await Grain(tenant).Write(new TenantCall(method, request.ToByteArray())).Mapped(tenant).ConfigureAwait(false), parser);

    /// <summary>An import into the tenant's grain, sent in pieces of at most <paramref name="pieceBytes"/> (<see cref="TenantImport"/>).</summary>
    internal TenantImport Import(string tenant, ImportTreeRequest first, int pieceBytes) => new(tenant, Grain(tenant), first, pieceBytes);

    internal Task<long> Subscribe(string tenant, WatchSubscription subscription) => Grain(tenant).Subscribe(subscription);

    internal Task Unsubscribe(string tenant, ITenantWatcher watcher) => Grain(tenant).Unsubscribe(watcher);

    internal Task<WatchBatch> Changes(string tenant, WatchRequest request) => Grain(tenant).Changes(request);

    /// <summary>A reference through which grains can call <paramref name="watcher"/>, until <see cref="Forget"/>.</summary>
    internal ITenantWatcher Reference(ITenantWatcher watcher) => grains.CreateObjectReference<ITenantWatcher>(watcher);

    internal void Forget(ITenantWatcher reference) => grains.DeleteObjectReference<ITenantWatcher>(reference);

    internal Task<long> Version(string tenant) => Grain(tenant).Version();

    /// <summary>
    /// Loads a tenant from a tree (a seed file at start). A tenant the store already holds is kept as it is, unless
    /// <paramref name="replace"/> asks for the tree to replace it (as an import would, as a new version). An invalid tree
    /// loads nothing and its errors are returned.
    /// </summary>
    public async Task<SeedResult> Seed(string tenant, Core.GoalTree tree, bool replace)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var build = Recomputation.BuildGraph(tenant, tree);
        if (build.Graph is null) return new SeedResult(SeedOutcome.Invalid, build.Errors, 0);
        var encoded = new Api.V1.GoalTree { Settings = ToProto.Settings(tree), AsOf = tree.AsOf is { } asOf ? Dates.ToProto(asOf) : null };
        encoded.Goals.AddRange(tree.Goals.Select(goal => ToProto.Goal(tenant, goal, null)));
        var reply = await Grain(tenant).Seed(new SeedRequest(encoded.ToByteArray(), replace)).ConfigureAwait(false);
        return new SeedResult(reply.Outcome, [], reply.Version);
    }

    private ITenantGrain Grain(string tenant) => _references.For(tenant);

    /// <summary>
    /// The response a grain answered, or the gRPC status it refused the call with, thrown. A response that can travel
    /// pre-encoded keeps the grain's bytes unread (the front writes them to the wire as they are,
    /// <see cref="Pipeline.PreEncodedResponses"/>); any other is decoded.
    /// </summary>
    internal static TResponse Answer<TResponse>(TenantReply reply, MessageParser<TResponse> parser)
        where TResponse : IMessage<TResponse>
    {
        if (reply.Failure is { } failure) throw ServiceErrors.FromGrain(Google.Rpc.Status.Parser.ParseFrom(failure), reply.Cause);
        if (!PreEncoded<TResponse>.Travels) return parser.ParseFrom(reply.Response);
        var response = parser.ParseFrom(ReadOnlySpan<byte>.Empty);
        ((IPreEncodedResponse)response).Encoded = reply.Response;
        return response;
    }

    private static class PreEncoded<TResponse>
    {
        public static readonly bool Travels = typeof(TResponse).IsAssignableTo(typeof(IPreEncodedResponse));
    }
}

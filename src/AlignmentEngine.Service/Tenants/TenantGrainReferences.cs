using AlignmentEngine.Grains;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// References to tenant grains, made without reflection. <c>IGrainFactory.GetGrain&lt;ITenantGrain&gt;(key)</c> finds the
/// interface's Orleans type from its attributes on every call (Orleans keeps no cache of it): reflection on the path of
/// every RPC (docs/benchmarks.md, "The grain path"). The grain type and the interface type are the same for every tenant:
/// they are read once, from the first reference made the ordinary way, and each reference after that is made from them
/// and the tenant's id, which is what Orleans does once it has them.
/// </summary>
internal sealed class TenantGrainReferences(IGrainFactory grains)
{
    private TenantGrainTypes? _types;

    public ITenantGrain For(string tenant)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        var types = _types ??= TenantGrainTypes.Of((GrainReference)grains.GetGrain<ITenantGrain>(tenant));
        return (ITenantGrain)grains.GetGrain(GrainId.Create(types.Grain, IdSpan.Create(tenant)), types.Interface);
    }

    /// <summary>The tenant grain's Orleans types, read from a reference (one object, so that threads see both or neither).</summary>
    private sealed record TenantGrainTypes(GrainType Grain, GrainInterfaceType Interface)
    {
        public static TenantGrainTypes Of(GrainReference reference) => new(reference.GrainId.Type, reference.InterfaceType);
    }
}

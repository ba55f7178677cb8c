using Orleans.Placement;

namespace AlignmentEngine.ClusterSilo;

/// <summary>Where a grain's activation lives: the silo's address and an id drawn when the activation started.</summary>
[GenerateSerializer, Immutable]
public sealed record Whereabouts([property: Id(0)] string Silo, [property: Id(1)] Guid Activation);

/// <summary>A grain that says where its one activation runs, so a test sees which silo holds it and whether it moved.</summary>
public interface IWhereaboutsGrain : IGrainWithStringKey
{
    Task<Whereabouts> LocateAsync();
}

/// <summary>Activated on the silo that calls it first (so a test chooses the silo), then found by every other.</summary>
[PreferLocalPlacement]
public sealed class WhereaboutsGrain(ILocalSiloDetails silo) : Grain, IWhereaboutsGrain
{
    private readonly Guid _activation = Guid.NewGuid();

    public Task<Whereabouts> LocateAsync() => Task.FromResult(new Whereabouts(silo.SiloAddress.ToString(), _activation));
}

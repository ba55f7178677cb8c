namespace AlignmentEngine.Service.Capacity;

/// <summary>Places a tenant by its size and the silos' memory budgets (<see cref="SizeAwarePlacementDirector"/>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SizeAwarePlacement : PlacementStrategy;

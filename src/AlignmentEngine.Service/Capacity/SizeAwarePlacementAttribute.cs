using Orleans.Placement;

namespace AlignmentEngine.Service.Capacity;

/// <summary>Marks a grain class as placed by <see cref="SizeAwarePlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SizeAwarePlacementAttribute() : PlacementAttribute(new SizeAwarePlacement());

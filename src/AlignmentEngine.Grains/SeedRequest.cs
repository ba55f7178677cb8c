namespace AlignmentEngine.Grains;

/// <summary>
/// A tree to load into a tenant at start (a seed file): <paramref name="Tree"/> is an <c>okr.alignment.v1.GoalTree</c> as
/// protobuf bytes; <paramref name="Replace"/> replaces a tenant the store already holds instead of keeping it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SeedRequest(byte[] Tree, bool Replace);

namespace AlignmentEngine.Grains;

/// <summary>
/// The tenant's version and the committed changes after the version asked for, each a <c>WatchRollupsResponse</c> as
/// protobuf bytes, in version order, none skipped: from the tenant's memory, or replayed from the store's change log
/// when the memory does not reach back that far (a fresh activation, a reload). A batch may stop short of the version
/// (a long replay comes in parts): the watcher asks again after the last one it received.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WatchBatch(long Version, IReadOnlyList<byte[]> Events);

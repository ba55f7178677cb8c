namespace AlignmentEngine.Grains;

/// <summary>
/// The tenant's version and committed changes after some version, each a <c>WatchRollupsResponse</c> as protobuf
/// bytes, in version order, none skipped: pushed to a watcher as they commit, or replayed on its request (from the
/// tenant's memory, or from the store's change log when the memory does not reach back that far). A replayed batch may
/// stop short of the version (a long replay comes in parts): the watcher asks again after the last one it received.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WatchBatch(long Version, IReadOnlyList<byte[]> Events);

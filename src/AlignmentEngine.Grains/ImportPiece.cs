namespace AlignmentEngine.Grains;

/// <summary>
/// One piece of an import on its way to the tenant's grain, which keeps the pieces aside until the last one and then
/// imports them as one tree: an import of any size travels in messages far below Orleans' message limit.
/// <paramref name="Request"/> is an <c>ImportTreeRequest</c> as protobuf bytes: the first piece (<paramref name="Sequence"/>
/// 0) carries the import's parent, settings, expected_version and request_id, every piece some of its goals, in order.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ImportPiece(Guid Import, int Sequence, byte[] Request, bool Last);

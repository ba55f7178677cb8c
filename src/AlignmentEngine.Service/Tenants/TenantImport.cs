using AlignmentEngine.Api.V1;
using AlignmentEngine.Grains;
using Google.Protobuf;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// One import on its way from the front to the tenant's grain: goals are added as the client's stream brings them, and
/// sent on in pieces of at most the piece size (<see cref="TenantImports"/>), each awaited before the next, so the grain
/// gathers them in order. The first piece carries the first message's parent, settings, expected_version and
/// request_id; <see cref="Finish"/> sends the last and answers the import's response. Until then the tenant is untouched,
/// and an import that fails on the way is discarded (<see cref="Discard"/>).
/// </summary>
internal sealed class TenantImport
{
    // A goal's room in a piece beyond its own size: the field's tag and its length prefix.
    private const int GoalOverhead = 6;

    private readonly string _tenant;
    private readonly ITenantGrain _grain;
    private readonly int _pieceBytes;
    private readonly Guid _id = Guid.NewGuid();
    private ImportTreeRequest _piece;
    private int _bytes;
    private int _sequence;
    private bool _sentLast;

    public TenantImport(string tenant, ITenantGrain grain, ImportTreeRequest first, int pieceBytes)
    {
        _tenant = tenant;
        _grain = grain;
        _pieceBytes = pieceBytes;
        _piece = first.Clone();
        _piece.Goals.Clear();
        _bytes = _piece.CalculateSize();
    }

    /// <summary>Adds goals, sending each piece that fills up on to the grain.</summary>
    public async Task Add(IEnumerable<Goal> goals)
    {
        foreach (var goal in goals)
        {
            var size = goal.CalculateSize() + GoalOverhead;
            if (_piece.Goals.Count > 0 && _bytes + size > _pieceBytes) await Send(last: false).ConfigureAwait(false);
            _piece.Goals.Add(goal);
            _bytes += size;
        }
    }

    /// <summary>Sends the last piece: the grain imports the whole tree and answers (or refuses it, changing nothing).</summary>
    public async Task<ImportTreeResponse> Finish() => TenantGrains.Answer(await Send(last: true).ConfigureAwait(false), ImportTreeResponse.Parser);

    /// <summary>
    /// Has the grain forget the pieces sent so far, unless the last one went (the grain forgot them then, whatever its
    /// answer). Not awaited: an activation that is gone has forgotten them anyway.
    /// </summary>
    public void Discard()
    {
        if (_sequence > 0 && !_sentLast) _ = _grain.DiscardImport(_id).ContinueWith(discarded => discarded.Exception, TaskScheduler.Default);
    }

    private async Task<TenantReply> Send(bool last)
    {
        _sentLast = last;
        var reply = await _grain.Import(new ImportPiece(_id, _sequence, _piece.ToByteArray(), last)).Mapped(_tenant).ConfigureAwait(false);
        _sequence++;
        _piece = new ImportTreeRequest();
        _bytes = 0;

        // A piece before the last is refused only when the grain lost the import's beginning: thrown as it answered.
        if (!last && reply.Failure is not null) TenantGrains.Answer(reply, ImportTreeResponse.Parser);
        return reply;
    }
}

using System.Diagnostics;
using AlignmentEngine.Api.V1;
using AlignmentEngine.Grains;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// The imports on their way into one activation of a tenant's grain: the pieces that came so far, gathered into one
/// request, until the last piece arrives. Nothing here touches the tenant, so an import that never finishes (its client
/// went away, its front died, the grain was deactivated and this went with it) changes nothing. Used by the grain's
/// calls alone, which Orleans runs one turn at a time.
/// </summary>
internal sealed class ImportStaging
{
    // An import whose next piece has not come for this long was abandoned (its front died without a word): forgotten.
    private static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(5);

    private readonly Dictionary<Guid, (ImportTreeRequest Whole, int Next, long TouchedAt)> _imports = [];

    /// <summary>
    /// Adds a piece: the whole import when it was the last one (and it is forgotten here), null while more are to come.
    /// A piece of an import this activation does not know, or out of order, is UNAVAILABLE: the tenant moved, or was
    /// reloaded, while the import was on its way, and the client may send it again (safely, with its request_id).
    /// </summary>
    public ImportTreeRequest? Add(string tenant, ImportPiece piece)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var abandoned in _imports.Where(i => Stopwatch.GetElapsedTime(i.Value.TouchedAt, now) > Abandoned).Select(i => i.Key).ToList())
        {
            _imports.Remove(abandoned);
        }

        var request = ImportTreeRequest.Parser.ParseFrom(piece.Request);
        ImportTreeRequest whole;
        if (piece.Sequence == 0)
        {
            whole = request;
        }
        else if (_imports.Remove(piece.Import, out var staged) && staged.Next == piece.Sequence)
        {
            whole = staged.Whole;
            whole.Goals.AddRange(request.Goals);
        }
        else
        {
            throw ServiceErrors.ImportInterrupted(tenant);
        }

        if (piece.Last) return whole;
        _imports[piece.Import] = (whole, piece.Sequence + 1, now);
        return null;
    }

    public void Discard(Guid import) => _imports.Remove(import);
}

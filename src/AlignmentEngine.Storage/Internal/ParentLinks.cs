using AlignmentEngine.Core;

namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// One goal's parents as read from the alignments table, in any row order. Most goals have one parent: that case
/// allocates nothing beyond the link itself.
/// </summary>
internal struct ParentLinks
{
    private ParentLink? _single;
    private long _singlePosition;
    private List<(long Position, ParentLink Link)>? _many;

    public void Add(long position, ParentLink link)
    {
        if (_single is null && _many is null)
        {
            _single = link;
            _singlePosition = position;
            return;
        }

        _many ??= [(_singlePosition, _single!)];
        _many.Add((position, link));
    }

    /// <summary>The parents by position: the first is the primary parent.</summary>
    public readonly ParentLink[] ToArray()
    {
        if (_many is null) return _single is null ? [] : [_single];
        _many.Sort((a, b) => a.Position.CompareTo(b.Position));
        return [.. _many.Select(l => l.Link)];
    }
}

namespace AlignmentEngine.Core;

/// <summary>
/// Which of a node's first-write saves the current transaction has made (its row, its values only, its findings,
/// its adjacency lists, its anchoring flag), and whether it waits in a propagation queue: one int per node holding the transaction number in its high bits and a bit per kind of save in the
/// low ones, so that a mark left by an earlier transaction reads as no mark and nothing is ever reset between
/// transactions. One array instead of three stamp arrays saves 8 bytes per goal.
/// </summary>
public sealed partial class AlignmentGraph
{
    private const int TouchBits = 6;
    private const int MaxTransaction = int.MaxValue >> TouchBits;
    private int[] _touched;

    [Flags]
    private enum Touch
    {
        None = 0,
        Row = 1,
        Findings = 2,
        Lists = 4,
        Values = 8,
        Anchoring = 16,

        // Set while the node waits in a propagation queue and cleared when it is taken, so a node reached from
        // several parents (or children) is queued once without sorting a bucket to drop duplicates.
        Queued = 32,
    }

    /// <summary>Whether the current transaction has already touched <paramref name="node"/> for <paramref name="kind"/>.</summary>
    private bool TouchedBy(int node, Touch kind)
    {
        var mark = _touched[node];
        return (mark >> TouchBits) == _tx && (mark & (int)kind) != 0;
    }

    /// <summary>True the first time the current transaction touches <paramref name="node"/> for <paramref name="kind"/>.</summary>
    private bool FirstTouch(int node, Touch kind)
    {
        var mark = _touched[node];
        var current = _tx << TouchBits;
        if ((mark >> TouchBits) != _tx) mark = current;
        if ((mark & (int)kind) != 0) return false;
        _touched[node] = mark | (int)kind;
        return true;
    }

    /// <summary>Forgets that the current transaction touched <paramref name="node"/> for <paramref name="kind"/>.</summary>
    private void Untouch(int node, Touch kind)
    {
        if ((_touched[node] >> TouchBits) == _tx) _touched[node] &= ~(int)kind;
    }

    /// <summary>
    /// The next transaction's number. When the numbers that fit beside the touch bits run out (after 33 million
    /// transactions), every mark is cleared and numbering starts again, so an old mark never passes for a new one.
    /// </summary>
    private void NextTransactionNumber()
    {
        if (_tx == MaxTransaction)
        {
            Array.Clear(_touched);
            _tx = 0;
        }

        _tx++;
    }
}

using System.Collections;
using System.Runtime.InteropServices;

namespace AlignmentEngine.Core;

/// <summary>
/// A change result's goal deltas, written once in id order and read-only after. A delta is not an object but a
/// position in two columns: its id, and its two values and two healths packed in 24 bytes. A check-in's ten deltas
/// are two small arrays, and a 10,000-check-in import's tens of thousands are chunks of at most
/// <see cref="ChunkSize"/> (at most 48 KB, below the 85,000-byte threshold of the large-object heap), so a result
/// allocates young memory that dies young instead of large arrays that count toward a collection of the whole heap.
/// The ids are a column of their own so that writing one is a single reference store: a struct that holds a
/// reference among other fields is copied into the heap by the runtime's bulk copy with its write barrier.
/// </summary>
internal sealed class GoalDeltaList : IReadOnlyList<GoalDelta>
{
    private const int Shift = 11;

    /// <summary>Deltas per chunk: every chunk but the last is full, so a position finds its chunk by a shift.</summary>
    public const int ChunkSize = 1 << Shift;

    // The first chunk's columns, and every chunk's when there are more (a result of one chunk, the common case, is two
    // arrays and this list).
    private readonly string[] _firstIds;
    private readonly SnapshotPair[] _firstSnapshots;
    private readonly string[][]? _ids;
    private readonly SnapshotPair[][]? _snapshots;

    /// <summary>An empty list of <paramref name="count"/> deltas, to be filled by <see cref="Set"/> at every position.</summary>
    public GoalDeltaList(int count)
    {
        Count = count;
        if (count <= ChunkSize)
        {
            (_firstIds, _firstSnapshots) = count == 0 ? ([], []) : (new string[count], new SnapshotPair[count]);
            return;
        }

        var chunks = (count + ChunkSize - 1) >> Shift;
        (_ids, _snapshots) = (new string[chunks][], new SnapshotPair[chunks][]);
        for (var c = 0; c < chunks; c++)
        {
            var size = Math.Min(ChunkSize, count - (c << Shift));
            (_ids[c], _snapshots[c]) = (new string[size], new SnapshotPair[size]);
        }

        (_firstIds, _firstSnapshots) = (_ids[0], _snapshots[0]);
    }

    public int Count { get; }

    public GoalDelta this[int index]
    {
        get
        {
            if (unchecked((uint)index) >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            return At(index);
        }
    }

    /// <summary>Writes the delta at <paramref name="index"/> (while the result is being made).</summary>
    public void Set(int index, string id, in SnapshotPair snapshots)
    {
        if (_ids is null)
        {
            _firstIds[index] = id;
            _firstSnapshots[index] = snapshots;
            return;
        }

        var (chunk, k) = (index >> Shift, index & (ChunkSize - 1));
        _ids[chunk][k] = id;
        _snapshots![chunk][k] = snapshots;
    }

    public IEnumerator<GoalDelta> GetEnumerator()
    {
        for (var k = 0; k < Count; k++) yield return At(k);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private GoalDelta At(int index)
    {
        var (ids, snapshots) = _ids is null ? (_firstIds, _firstSnapshots) : (_ids[index >> Shift], _snapshots![index >> Shift]);
        var k = index & (ChunkSize - 1);
        return new GoalDelta(ids[k], snapshots[k].Before, snapshots[k].After);
    }

    /// <summary>A delta's two snapshots packed, 24 bytes: a missing one (a goal added or removed) has no health.</summary>
    [StructLayout(LayoutKind.Auto)]
    public readonly struct SnapshotPair
    {
        private const sbyte None = -1;

        private readonly double _before;
        private readonly double _after;
        private readonly sbyte _beforeHealth;
        private readonly sbyte _afterHealth;

        public SnapshotPair(double before, Health beforeHealth, double after, Health afterHealth)
        {
            (_before, _after) = (before, after);
            (_beforeHealth, _afterHealth) = ((sbyte)beforeHealth, (sbyte)afterHealth);
        }

        public SnapshotPair(GoalSnapshot? before, GoalSnapshot? after)
        {
            (_before, _beforeHealth) = before is { } b ? (b.Progress, (sbyte)b.Health) : (0, None);
            (_after, _afterHealth) = after is { } a ? (a.Progress, (sbyte)a.Health) : (0, None);
        }

        public GoalSnapshot? Before => _beforeHealth == None ? null : new GoalSnapshot(_before, (Health)_beforeHealth);

        public GoalSnapshot? After => _afterHealth == None ? null : new GoalSnapshot(_after, (Health)_afterHealth);
    }
}

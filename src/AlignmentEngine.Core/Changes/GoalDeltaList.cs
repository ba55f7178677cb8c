using System.Collections;
using System.Runtime.InteropServices;

namespace AlignmentEngine.Core;

/// <summary>
/// A change result's goal deltas, written once in id order and read-only after. Each delta is one packed row (its id,
/// its two values and two healths, 32 bytes), not an object: a check-in's ten deltas are one small array, and a
/// 10,000-check-in import's tens of thousands are chunks of at most <see cref="ChunkSize"/> rows (64 KB, below the
/// 85,000-byte threshold of the large-object heap), so a result allocates young memory that dies young instead of a
/// large array that counts toward a collection of the whole heap.
/// </summary>
internal sealed class GoalDeltaList : IReadOnlyList<GoalDelta>
{
    private const int Shift = 11;

    /// <summary>Rows per chunk: every chunk but the last is full, so a position finds its chunk by a shift.</summary>
    public const int ChunkSize = 1 << Shift;

    // The first chunk, and every chunk when there are more (a result of one chunk, the common case, is one array).
    private readonly Row[] _first;
    private readonly Row[][]? _chunks;

    /// <summary>An empty list of <paramref name="count"/> rows, to be filled by <see cref="Set"/> at every position.</summary>
    public GoalDeltaList(int count)
    {
        Count = count;
        if (count <= ChunkSize)
        {
            _first = count == 0 ? [] : new Row[count];
            return;
        }

        _chunks = new Row[(count + ChunkSize - 1) >> Shift][];
        for (var c = 0; c < _chunks.Length; c++) _chunks[c] = new Row[Math.Min(ChunkSize, count - (c << Shift))];
        _first = _chunks[0];
    }

    public int Count { get; }

    public GoalDelta this[int index]
    {
        get
        {
            if (unchecked((uint)index) >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            return Chunk(index)[index & (ChunkSize - 1)].ToDelta();
        }
    }

    /// <summary>Writes the delta at <paramref name="index"/> (while the result is being made).</summary>
    public void Set(int index, in Row row) => Chunk(index)[index & (ChunkSize - 1)] = row;

    public IEnumerator<GoalDelta> GetEnumerator()
    {
        for (var k = 0; k < Count; k++) yield return Chunk(k)[k & (ChunkSize - 1)].ToDelta();
    }

    private Row[] Chunk(int index) => _chunks is null ? _first : _chunks[index >> Shift];

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One delta packed: a missing snapshot (a goal added or removed) has <see cref="None"/> for its health.</summary>
    [StructLayout(LayoutKind.Auto)]
    public readonly struct Row
    {
        /// <summary>The health of a snapshot that does not exist.</summary>
        public const sbyte None = -1;

        private readonly string _id;
        private readonly double _before;
        private readonly double _after;
        private readonly sbyte _beforeHealth;
        private readonly sbyte _afterHealth;

        public Row(string id, GoalSnapshot? before, GoalSnapshot? after)
        {
            _id = id;
            (_before, _beforeHealth) = before is { } b ? (b.Progress, (sbyte)b.Health) : (0, None);
            (_after, _afterHealth) = after is { } a ? (a.Progress, (sbyte)a.Health) : (0, None);
        }

        public string Id => _id;

        public GoalDelta ToDelta() => new(
            _id,
            _beforeHealth == None ? null : new GoalSnapshot(_before, (Health)_beforeHealth),
            _afterHealth == None ? null : new GoalSnapshot(_after, (Health)_afterHealth));
    }
}

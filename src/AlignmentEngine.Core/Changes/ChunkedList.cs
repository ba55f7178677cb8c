using System.Collections;

namespace AlignmentEngine.Core;

/// <summary>
/// An append-only list stored in chunks of a fixed size, each below the runtime's large-object threshold (85,000
/// bytes). A change result that holds hundreds of thousands of entries (a company objective's archive re-anchors a
/// sixth of the organisation) then allocates only small objects, in the young generation's reused memory rather than
/// fresh large-object memory, and, when the result is dropped soon, they die young instead of filling the
/// large-object heap's budget, whose every overflow costs a full (gen-2) collection. The first chunk is sized by the expected
/// count and grows by doubling, as a <see cref="List{T}"/> does, so a short list stays small; past it the list grows
/// a full chunk at a time, so nothing is copied.
/// </summary>
internal sealed class ChunkedList<T> : IReadOnlyList<T>
{
    /// <summary>8,192 entries: 64 KB for references and 8-byte values, 32 KB for ints.</summary>
    private const int ChunkShift = 13;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;
    private const int FirstCapacity = 16;

    private readonly List<T[]> _chunks = [];
    private readonly int _firstCapacity;

    /// <param name="expected">A bound on the count, if known: the first chunk's size up to a full chunk.</param>
    public ChunkedList(int expected = FirstCapacity) => _firstCapacity = Math.Clamp(expected, 1, ChunkSize);

    public int Count { get; private set; }

    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return _chunks[index >> ChunkShift][index & ChunkMask];
        }
    }

    public void Add(T item)
    {
        var slot = Count & ChunkMask;
        if (Count == 0) _chunks.Add(new T[_firstCapacity]);
        else if (slot == 0) _chunks.Add(new T[ChunkSize]);
        else if (Count < ChunkSize && slot == _chunks[0].Length) _chunks[0] = Grown(_chunks[0]);
        _chunks[^1][slot] = item;
        Count++;
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (var k = 0; k < Count; k++) yield return this[k];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static T[] Grown(T[] first)
    {
        var grown = new T[Math.Min(first.Length * 2, ChunkSize)];
        first.CopyTo(grown, 0);
        return grown;
    }
}

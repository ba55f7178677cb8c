using System.Collections;

namespace AlignmentEngine.Core;

/// <summary>
/// An append-only list stored in chunks of a fixed size, each below the runtime's large-object threshold (85,000
/// bytes). A change result that holds hundreds of thousands of entries (a company objective's archive re-anchors a
/// sixth of the organisation) then allocates only small objects, in the young generation's reused memory rather than
/// fresh large-object memory, and, when the result is dropped soon, they die young instead of filling the
/// large-object heap's budget, whose every overflow costs a full (gen-2) collection. Every chunk but the last is
/// full. A new chunk is sized by what is still expected (at most a full chunk) and grows by doubling, as a
/// <see cref="List{T}"/> does, if more comes: a short list stays small, an expected count is allocated exactly, and
/// at most one chunk's worth is ever copied.
/// </summary>
internal sealed class ChunkedList<T> : IReadOnlyList<T>
{
    /// <summary>8,192 entries: 64 KB for references and 8-byte values, 32 KB for ints.</summary>
    private const int ChunkShift = 13;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;
    private const int DefaultExpected = 16;

    private readonly List<T[]> _chunks = [];
    private readonly int _expected;

    /// <param name="expected">The count expected, if known (a bound): what the chunks are sized by.</param>
    public ChunkedList(int expected = DefaultExpected) => _expected = expected;

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
        if (slot == 0) _chunks.Add(new T[Math.Clamp(_expected - Count, 1, ChunkSize)]);
        else if (slot == _chunks[^1].Length) _chunks[^1] = Grown(_chunks[^1]);
        _chunks[^1][slot] = item;
        Count++;
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (var k = 0; k < Count; k++) yield return this[k];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static T[] Grown(T[] last)
    {
        var grown = new T[Math.Min(last.Length * 2, ChunkSize)];
        last.CopyTo(grown, 0);
        return grown;
    }
}

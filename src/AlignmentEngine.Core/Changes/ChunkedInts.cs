namespace AlignmentEngine.Core;

/// <summary>
/// A list of ints that only grows, kept in chunks of at most 16,384 (64 KB, below the 85,000-byte threshold of the
/// large-object heap): a change result that lists hundreds of thousands of goals allocates young objects that die
/// young, where one large array per result would count toward a full collection of the whole heap (at 1,000,000
/// goals, one every hundred or so simulations of a company objective's archive). Each new chunk is sized by a bound of
/// what is still to come (a full chunk at most), so a short list takes a short chunk.
/// </summary>
internal sealed class ChunkedInts
{
    private const int Shift = 14;
    private const int ChunkSize = 1 << Shift;

    private readonly List<int[]> _chunks = [];
    private int[] _last = [];
    private int _fill;

    /// <summary>Entries added.</summary>
    public int Count { get; private set; }

    public int this[int index] => _chunks[index >> Shift][index & (ChunkSize - 1)];

    /// <summary>Adds <paramref name="value"/>; <paramref name="bound"/>: how many entries may still come, this one included.</summary>
    public void Add(int value, int bound)
    {
        if (_fill == _last.Length) NextChunk(bound);
        _last[_fill++] = value;
        Count++;
    }

    private void NextChunk(int bound)
    {
        // Every chunk but the last is full, so that an index finds its chunk by a shift: a last chunk cut short by the
        // bound grows to a full one before another follows it.
        if (_last.Length is > 0 and < ChunkSize)
        {
            Array.Resize(ref _last, Math.Min(ChunkSize, Math.Max(_last.Length * 2, _fill + bound)));
            _chunks[^1] = _last;
            return;
        }

        _last = GC.AllocateUninitializedArray<int>(Math.Clamp(bound, 16, ChunkSize));
        _chunks.Add(_last);
        _fill = 0;
    }
}

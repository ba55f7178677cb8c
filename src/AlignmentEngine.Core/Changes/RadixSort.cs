using System.Numerics;

namespace AlignmentEngine.Core;

/// <summary>
/// Sorts longs on their high half by its digits, least significant first (a stable radix sort): for a change result's
/// tens of thousands of deltas keyed by their goals' id ranks, two passes over the keys where a comparison sort makes
/// about sixteen.
/// </summary>
internal static class RadixSort
{
    private const int DigitBits = 11;
    private const int Digits = 1 << DigitBits;

    /// <summary>
    /// Sorts <paramref name="keys"/> by their high 32 bits, each between 0 and <paramref name="maxHigh"/>; keys equal in
    /// those keep their order. <paramref name="scratch"/> holds at least as many keys, and is overwritten.
    /// </summary>
    public static void ByHighHalf(Span<long> keys, Span<long> scratch, int maxHigh)
    {
        var bits = 32 - BitOperations.LeadingZeroCount((uint)maxHigh);
        Span<int> starts = stackalloc int[Digits];
        Span<long> from = keys, to = scratch[..keys.Length];
        var inScratch = false;
        for (var shift = 32; shift < 32 + bits; shift += DigitBits)
        {
            starts.Clear();
            foreach (var key in from) starts[Digit(key, shift)]++;
            var sum = 0;
            for (var d = 0; d < Digits; d++) (starts[d], sum) = (sum, sum + starts[d]);
            foreach (var key in from) to[starts[Digit(key, shift)]++] = key;
            var swap = from;
            from = to;
            to = swap;
            inScratch = !inScratch;
        }

        if (inScratch) from.CopyTo(keys);
    }

    private static int Digit(long key, int shift) => (int)((key >> shift) & (Digits - 1));
}

using FsCheckProperty = FsCheck.NUnit.PropertyAttribute;

namespace AlignmentEngine.Core.Tests;

/// <summary>The radix sort of a large change result's keys orders exactly as a stable sort on their high halves.</summary>
public sealed class RadixSortTests
{
    [FsCheckProperty(MaxTest = 200)]
    public void ByHighHalf_AnyKeys_IsTheStableOrderOfTheirHighHalves(int[] highs, int limit)
    {
        // Highs up to a limit as wide as 31 bits, so that every number of passes (one to three) is exercised.
        var max = limit == int.MinValue ? int.MaxValue : Math.Abs(limit);
        var keys = highs.Select((h, k) => ((long)(int)(unchecked((uint)h) % ((uint)max + 1)) << 32) | (uint)(k * 7919)).ToArray();
        var expected = keys.OrderBy(key => key >> 32).ToArray();

        RadixSort.ByHighHalf(keys, new long[keys.Length], max);

        keys.Should().Equal(expected);
    }

    [Test]
    public void ByHighHalf_ThousandsOfKeysWithRepeatedHighs_IsTheStableOrder()
    {
        var random = new Random(14);
        var keys = Enumerable.Range(0, 5_000).Select(k => ((long)random.Next(0, 3_000_000) << 32) | (uint)random.Next()).ToArray();
        var expected = keys.OrderBy(key => key >> 32).ToArray();

        RadixSort.ByHighHalf(keys, new long[keys.Length + 10], 3_000_000);

        keys.Should().Equal(expected);
    }
}

using AlignmentEngine.Core.Graph;
using FsCheckProperty = FsCheck.NUnit.PropertyAttribute;

namespace AlignmentEngine.Core.Tests;

/// <summary>
/// The id index (open addressing whose entries hold a slot and a fingerprint of the key's hash) finds exactly what a
/// dictionary would, through additions, removals, replacements and the owner's array growing past a power of two.
/// </summary>
public sealed class StringIndexTests
{
    [FsCheckProperty(MaxTest = 100)]
    public void AnySequenceOfOperations_FindsWhatADictionaryFinds(int seed)
    {
        var random = new Random(seed);
        var keys = new string?[random.Next(1, 9)];
        var index = new StringIndex(keys, 0);
        var model = new Dictionary<string, int>();
        for (var step = 0; step < 600; step++)
        {
            var id = $"G{random.Next(0, 200)}";
            switch (random.Next(0, 10))
            {
                case < 5 when !model.ContainsKey(id):
                    // A new key in a free slot, the owner's array doubled first when it is full.
                    var slot = Array.IndexOf(keys, null);
                    if (slot < 0)
                    {
                        slot = keys.Length;
                        Array.Resize(ref keys, keys.Length * 2);
                        index.Keys = keys;
                    }

                    Add(keys, index, slot, id);
                    model[id] = slot;
                    break;
                case < 7 when model.TryGetValue(id, out var held):
                    index.Remove(id).Should().BeTrue();
                    keys[held] = null;
                    model.Remove(id);
                    break;
                case 7 when model.TryGetValue(id, out var from) && Array.IndexOf(keys, null) is var to and >= 0:
                    // The same key moved to another slot: Set replaces its entry.
                    keys[to] = new string(id.AsSpan());
                    index.Set(to);
                    keys[from] = null;
                    model[id] = to;
                    break;
            }

            foreach (var (key, at) in model)
            {
                index.TryGetValue(key, out var found).Should().BeTrue(key);
                found.Should().Be(at, key);
            }

            index.ContainsKey($"G{random.Next(200, 400)}").Should().BeFalse();
        }
    }

    [Test]
    public void AMillionSlots_FindsEveryKeyAndNoAbsentOne()
    {
        // 2^20 slots leave 12 bits of fingerprint: among the absent keys' probes, some hundred pass entries whose
        // fingerprint matches theirs, so the string comparison behind the fingerprint is exercised too.
        const int count = 200_000;
        var keys = new string?[1 << 20];
        var index = new StringIndex(keys, count);
        for (var k = 0; k < count; k++) Add(keys, index, k * 5, $"D{k % 97}.T{k}.KR{k % 5}");

        for (var k = 0; k < count; k++) index[new string($"D{k % 97}.T{k}.KR{k % 5}".AsSpan())].Should().Be(k * 5);
        for (var k = 0; k < count; k++) index.ContainsKey($"D{k % 97}.T{k}.KR{(k % 5) + 5}").Should().BeFalse();
    }

    [Test]
    public void TheOwnersArrayGrowingPastAPowerOfTwo_KeepsEveryKeyAndTakesTheNewSlots()
    {
        var (keys, index) = Indexed(slots: 1000, count: 1000, "G");

        Array.Resize(ref keys, 5000);
        index.Keys = keys;
        for (var k = 1000; k < 5000; k++) Add(keys, index, k, $"G{k}");

        for (var k = 0; k < 5000; k++) index[$"G{k}"].Should().Be(k);
    }

    [Test]
    public void Probable_IsTheSlotOfTheKeyHinted_WhenNothingChangedBetween()
    {
        var (_, index) = Indexed(slots: 4096, count: 3000, "P");

        var agree = Enumerable.Range(0, 3000).Count(k => index.Probable(index.PrefetchHome($"P{k}")) == k);

        // 4,096 slots leave 19 bits of fingerprint: a hint stops at another key's entry about once in 500,000 entries
        // passed, so all but a rare one find their own slot (the first entry of each search would miss about a third).
        agree.Should().BeGreaterThanOrEqualTo(2_995);
    }

    /// <summary>An owner's array of <paramref name="slots"/> with <paramref name="prefix"/>0, 1, ... in its first <paramref name="count"/>, indexed.</summary>
    private static (string?[] Keys, StringIndex Index) Indexed(int slots, int count, string prefix)
    {
        var keys = new string?[slots];
        var index = new StringIndex(keys, count);
        for (var k = 0; k < count; k++) Add(keys, index, k, $"{prefix}{k}");
        return (keys, index);
    }

    /// <summary>Writes <paramref name="id"/> into slot <paramref name="slot"/>, then indexes it, as the graph does.</summary>
    private static void Add(string?[] keys, StringIndex index, int slot, string id)
    {
        keys[slot] = id;
        index.Set(slot);
    }
}

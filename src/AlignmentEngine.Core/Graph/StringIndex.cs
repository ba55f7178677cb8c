using System.Numerics;
using System.Runtime.CompilerServices;

namespace AlignmentEngine.Core.Graph;

/// <summary>
/// Finds the slot holding a string among strings its owner already keeps in an array (goal ids by node, interned
/// strings by number): open addressing with linear probing over one 32-bit entry per table slot. A
/// <c>Dictionary&lt;string, int&gt;</c> costs about 28 bytes per entry on top of those strings; this costs
/// about 6 (a table sized for a bulk build is two-thirds full; it doubles when three quarters full), and
/// hashes the owner's strings instead of holding references to them.
/// </summary>
/// <remarks>
/// <para>An entry holds its slot + 1 in its low bits, as many as the owner's array needs, and in the bits above a
/// fingerprint of its string's hash. A search skips an entry whose fingerprint differs without reading its string: at
/// two-thirds full about every other search passes another key's entry first, and reading that key (a reference in
/// the owner's array, then the string itself) costs two cache misses in a million-goal table. A million slots leave
/// 12 bits of fingerprint, so one such entry in 4,096 is compared as a string.</para>
/// <para>The owner keeps <see cref="Keys"/> pointing at its current array (after every resize), writes a slot's
/// string before <see cref="Set"/> and removes it with <see cref="Remove"/> before clearing it, so that every
/// table entry's string can be read while the entry is in the table.</para>
/// </remarks>
internal sealed class StringIndex
{
    private const uint Empty = 0; // an entry's slot part is slot + 1

    private uint[] _table;
    private int _count;
    private string?[] _keys;

    // The low bits of an entry that hold slot + 1 (enough for every slot of the owner's array); the rest fingerprint the hash.
    private int _slotBits;
    private uint _slotMask;

    public StringIndex(string?[] keys, int expected)
    {
        _keys = keys;
        (_slotBits, _slotMask) = SlotBits(keys.Length);
        _table = LargePages.Allocate<uint>(TableSize(expected));
    }

    /// <summary>The owner's strings, indexed by slot. A longer array that needs more slot bits re-encodes the table.</summary>
    public string?[] Keys
    {
        get => _keys;
        set
        {
            _keys = value;
            if (SlotBits(value.Length).Bits != _slotBits) Rehash(_table.Length);
        }
    }

    /// <summary>Asks again for 2 MB pages under the table (<see cref="LargePages"/>).</summary>
    public void BackWithLargePages() => LargePages.TryBack(_table);

    public int this[string key] => TryGetValue(key, out var slot) ? slot : throw new KeyNotFoundException($"'{key}' is not indexed");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, out int slot)
    {
        var at = Find(key);
        slot = at < 0 ? -1 : SlotOf(_table[at]);
        return at >= 0;
    }

    /// <summary>A hint: <paramref name="key"/> will be looked up soon. Returns its hash, for <see cref="Probable"/>.</summary>
    public uint PrefetchHome(string key)
    {
        var hash = Hash(key);
        CacheHint.Prefetch(_table, Home(hash));
        return hash;
    }

    /// <summary>
    /// The slot most likely indexed under the key of <paramref name="hash"/> (from <see cref="PrefetchHome"/>): the first
    /// entry of its search with its fingerprint, its string not compared; -1 when the search ends first. For hints only:
    /// the table may have changed since, and the entry may be another key's.
    /// </summary>
    public int Probable(uint hash)
    {
        var fingerprint = Fingerprint(hash);
        for (var at = Home(hash); _table[at] != Empty; at = Next(at))
        {
            if ((_table[at] & ~_slotMask) == fingerprint) return SlotOf(_table[at]);
        }

        return -1;
    }

    /// <summary>Indexes <paramref name="slot"/> under the string it now holds, replacing any slot indexed under the same string.</summary>
    public void Set(int slot)
    {
        var key = _keys[slot]!;
        var hash = Hash(key);
        var fingerprint = Fingerprint(hash);
        var at = Home(hash);
        while (_table[at] != Empty)
        {
            if (Holds(_table[at], fingerprint, key))
            {
                _table[at] = Entry(slot, fingerprint);
                return;
            }

            at = Next(at);
        }

        _table[at] = Entry(slot, fingerprint);
        if (++_count * 4 > _table.Length * 3) Rehash(2 * _count);
    }

    /// <summary>Forgets <paramref name="key"/>; true when it was indexed.</summary>
    public bool Remove(string key)
    {
        var hole = Find(key);
        if (hole < 0) return false;
        _table[hole] = Empty;
        _count--;

        // Backward-shift deletion: move up every later entry of the run that the hole would now hide.
        for (var at = Next(hole); _table[at] != Empty; at = Next(at))
        {
            var home = Home(Hash(_keys[SlotOf(_table[at])]!));
            var reachable = hole <= at ? home <= hole || home > at : home <= hole && home > at;
            if (!reachable) continue;
            _table[hole] = _table[at];
            _table[at] = Empty;
            hole = at;
        }

        return true;
    }

    private int Find(string key)
    {
        var hash = Hash(key);
        var fingerprint = Fingerprint(hash);
        for (var at = Home(hash); _table[at] != Empty; at = Next(at))
        {
            if (Holds(_table[at], fingerprint, key)) return at;
        }

        return -1;
    }

    /// <summary>Whether <paramref name="entry"/> is <paramref name="key"/>'s: its fingerprint first, the string only when that matches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Holds(uint entry, uint fingerprint, string key) =>
        (entry & ~_slotMask) == fingerprint && string.Equals(_keys[SlotOf(entry)], key, StringComparison.Ordinal);

    /// <summary>The randomised ordinal hash (resistant to chosen ids).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(string key) => (uint)key.GetHashCode();

    /// <summary>Where a search starts: the hash reduced to the table by a multiply-shift (its high bits, mostly).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(uint hash) => (int)(((ulong)hash * (ulong)_table.Length) >> 32);

    /// <summary>The hash's low bits, shifted above the slot bits (Home leans on the high ones).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Fingerprint(uint hash) => hash << _slotBits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Entry(int slot, uint fingerprint) => (uint)(slot + 1) | fingerprint;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotOf(uint entry) => (int)(entry & _slotMask) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Next(int at) => at + 1 == _table.Length ? 0 : at + 1;

    /// <summary>A table of <paramref name="size"/> entries, each entry encoded again for the owner's array as it is now.</summary>
    private void Rehash(int size)
    {
        var (old, oldMask) = (_table, _slotMask);
        (_slotBits, _slotMask) = SlotBits(_keys.Length);
        _table = LargePages.Allocate<uint>(size);
        foreach (var entry in old)
        {
            if (entry == Empty) continue;
            var slot = (int)(entry & oldMask) - 1;
            var hash = Hash(_keys[slot]!);
            var at = Home(hash);
            while (_table[at] != Empty) at = Next(at);
            _table[at] = Entry(slot, Fingerprint(hash));
        }
    }

    /// <summary>
    /// The bits that hold slot + 1 for every slot of an array of <paramref name="length"/>, and their mask: at most 31
    /// (an array is shorter than 2³¹), so at least one bit of fingerprint is left.
    /// </summary>
    private static (int Bits, uint Mask) SlotBits(int length)
    {
        var bits = Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)length));
        return (bits, (1u << bits) - 1);
    }

    private static int TableSize(int expected) => Math.Max(16, expected + (expected / 2) + 1);
}

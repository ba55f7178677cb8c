using System.Runtime.CompilerServices;

namespace AlignmentEngine.Core.Graph;

/// <summary>
/// Finds the slot holding a string among strings its owner already keeps in an array (goal ids by node, interned
/// strings by number): open addressing with linear probing over one int per table slot. A
/// <c>Dictionary&lt;string, int&gt;</c> costs about 28 bytes per entry on top of those strings; this costs
/// about 6 (a table sized for a bulk build is two-thirds full; it doubles when three quarters full), and
/// hashes the owner's strings instead of holding references to them.
/// </summary>
/// <remarks>
/// The owner keeps <see cref="Keys"/> pointing at its current array (after every resize), writes a slot's
/// string before <see cref="Set"/> and removes it with <see cref="Remove"/> before clearing it, so that every
/// table entry's string can be read while the entry is in the table.
/// </remarks>
internal sealed class StringIndex
{
    private const int Empty = 0; // table entries are slot + 1

    private int[] _table;
    private int _count;

    public StringIndex(string?[] keys, int expected)
    {
        Keys = keys;
        _table = LargePages.Allocate<int>(TableSize(expected));
    }

    /// <summary>The owner's strings, indexed by slot.</summary>
    public string?[] Keys { get; set; }

    /// <summary>Asks again for 2 MB pages under the table (<see cref="LargePages"/>).</summary>
    public void BackWithLargePages() => LargePages.TryBack(_table);

    public int this[string key] => TryGetValue(key, out var slot) ? slot : throw new KeyNotFoundException($"'{key}' is not indexed");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, out int slot)
    {
        var at = Find(key);
        slot = at < 0 ? -1 : _table[at] - 1;
        return at >= 0;
    }

    /// <summary>A hint: <paramref name="key"/> will be looked up soon. Returns where its search starts, for <see cref="Probable"/>.</summary>
    public int PrefetchHome(string key)
    {
        var home = Home(key);
        CacheHint.Prefetch(_table, home);
        return home;
    }

    /// <summary>
    /// The slot most likely indexed under the key whose search starts at <paramref name="home"/> (from
    /// <see cref="PrefetchHome"/>): the first entry there, not compared with the key; -1 when there is none. For hints
    /// only: the table may have changed since, and the entry may be another key's.
    /// </summary>
    public int Probable(int home) => home < _table.Length ? _table[home] - 1 : -1;

    /// <summary>Indexes <paramref name="slot"/> under the string it now holds, replacing any slot indexed under the same string.</summary>
    public void Set(int slot)
    {
        var key = Keys[slot]!;
        var at = Home(key);
        while (_table[at] != Empty)
        {
            if (string.Equals(Keys[_table[at] - 1], key, StringComparison.Ordinal))
            {
                _table[at] = slot + 1;
                return;
            }

            at = Next(at);
        }

        _table[at] = slot + 1;
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
            var home = Home(Keys[_table[at] - 1]!);
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
        for (var at = Home(key); _table[at] != Empty; at = Next(at))
        {
            if (string.Equals(Keys[_table[at] - 1], key, StringComparison.Ordinal)) return at;
        }

        return -1;
    }

    /// <summary>The randomised ordinal hash (resistant to chosen ids), reduced to the table by a multiply-shift.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(string key) => (int)(unchecked((ulong)(uint)key.GetHashCode() * (ulong)_table.Length) >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Next(int at) => at + 1 == _table.Length ? 0 : at + 1;

    private void Rehash(int size)
    {
        var old = _table;
        _table = LargePages.Allocate<int>(size);
        foreach (var entry in old)
        {
            if (entry == Empty) continue;
            var at = Home(Keys[entry - 1]!);
            while (_table[at] != Empty) at = Next(at);
            _table[at] = entry;
        }
    }

    private static int TableSize(int expected) => Math.Max(16, expected + (expected / 2) + 1);
}

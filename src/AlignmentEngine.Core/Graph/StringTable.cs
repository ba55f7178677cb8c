namespace AlignmentEngine.Core.Graph;

/// <summary>
/// Interns repeated strings (units, metric keys, owners) as small ints so that comparisons on hot paths are
/// integer compares and each distinct string is stored once. -1 stands for "absent". Owners are most of it
/// (one per person), so the lookup is a <see cref="StringIndex"/> over the interned strings themselves.
/// </summary>
internal sealed class StringTable
{
    private string?[] _values = new string?[16];
    private readonly StringIndex _ids;
    private int _count;

    public StringTable()
    {
        _ids = new StringIndex(_values, 0);
    }

    public int Intern(string? value)
    {
        if (value is null) return -1;
        if (_ids.TryGetValue(value, out var id)) return id;
        if (_count == _values.Length)
        {
            Array.Resize(ref _values, _count * 2);
            _ids.Keys = _values;
        }

        id = _count++;
        _values[id] = value;
        _ids.Set(id);
        return id;
    }

    public string? this[int id] => id < 0 ? null : _values[id];
}

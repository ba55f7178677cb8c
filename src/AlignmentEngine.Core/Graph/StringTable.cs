namespace AlignmentEngine.Core.Graph;

/// <summary>
/// Interns repeated strings (units, metric keys, owners) as small ints so that comparisons on hot paths are
/// integer compares and each distinct string is stored once. -1 stands for "absent".
/// </summary>
internal sealed class StringTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _values = [];

    public int Intern(string? value)
    {
        if (value is null) return -1;
        if (_ids.TryGetValue(value, out var id)) return id;
        id = _values.Count;
        _values.Add(value);
        _ids.Add(value, id);
        return id;
    }

    public string? this[int id] => id < 0 ? null : _values[id];
}

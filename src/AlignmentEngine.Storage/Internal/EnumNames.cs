using System.Collections.Frozen;

namespace AlignmentEngine.Storage.Internal;

/// <summary>Enums are stored by name; a million-row load parses them through a frozen table, not Enum.Parse.</summary>
internal static class EnumNames<T>
    where T : struct, Enum
{
    private static readonly FrozenDictionary<string, T> ByName =
        Enum.GetValues<T>().ToFrozenDictionary(v => v.ToString(), StringComparer.Ordinal);

    public static T Parse(string name) =>
        ByName.TryGetValue(name, out var value) ? value : throw new InvalidDataException($"'{name}' is not a {typeof(T).Name}.");
}

using System.Text.Json;

namespace AlignmentEngine.Cli.Internal;

/// <summary>The one shape every JSON report of okr repeats: a named array holding one object per item.</summary>
internal static class JsonObjectArrays
{
    /// <summary>Writes the array <paramref name="name"/> with one object per item, its fields written by <paramref name="writeFields"/>.</summary>
    public static void WriteObjects<T>(this Utf8JsonWriter json, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeFields)
    {
        json.WriteStartArray(name);
        foreach (var item in items)
        {
            json.WriteStartObject();
            writeFields(json, item);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}

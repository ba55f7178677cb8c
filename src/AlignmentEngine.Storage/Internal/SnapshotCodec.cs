using System.IO.Compression;
using System.Text.Json;
using AlignmentEngine.Core;

namespace AlignmentEngine.Storage.Internal;

/// <summary>A whole tree as gzip-compressed JSON (settings and goals): the snapshots table's body.</summary>
internal static class SnapshotCodec
{
    public static byte[] Write(GoalTree tree)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var json = new Utf8JsonWriter(gzip))
        {
            json.WriteStartObject();
            json.WritePropertyName("settings");
            SettingsJson.Write(json, tree);
            json.WriteStartArray("goals");
            foreach (var goal in tree.Goals) GoalJson.Write(json, goal);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static GoalTree Read(byte[] body)
    {
        using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var document = JsonDocument.Parse(gzip);
        var settings = SettingsJson.Read(document.RootElement.GetProperty("settings"));
        return settings with { Goals = [.. document.RootElement.GetProperty("goals").EnumerateArray().Select(GoalJson.Read)] };
    }
}

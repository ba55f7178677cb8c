using System.Text.Json.Serialization;

namespace AlignmentEngine.Storage.Internal;

/// <summary>Source-generated JSON for the one collection the goals table stores as JSON (tags).</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;

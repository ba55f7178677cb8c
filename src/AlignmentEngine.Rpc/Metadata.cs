using System.Collections;
using System.Text;

namespace AlignmentEngine.Rpc;

/// <summary>
/// Custom metadata (request headers, response headers, trailers). Keys are lower-case; keys ending in
/// <c>-bin</c> carry bytes (base64 on the wire), all others printable ASCII strings.
/// </summary>
public sealed class Metadata : IReadOnlyList<Metadata.Entry>
{
    /// <summary>The suffix that marks a binary key.</summary>
    public const string BinarySuffix = "-bin";

    private readonly List<Entry> _entries = [];

    public int Count => _entries.Count;

    public Entry this[int index] => _entries[index];

    public Metadata Add(string key, string value)
    {
        _entries.Add(new Entry(key, value));
        return this;
    }

    public Metadata Add(string key, byte[] value)
    {
        _entries.Add(new Entry(key, value));
        return this;
    }

    public void Add(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _entries.Add(entry);
    }

    /// <summary>The last entry with this key, or null.</summary>
    public Entry? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return _entries[i];
            }
        }

        return null;
    }

    public string? GetValue(string key) => Get(key)?.Value;

    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One key/value pair.</summary>
    public sealed class Entry
    {
        private readonly string? _value;
        private readonly byte[]? _bytes;

        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            ArgumentNullException.ThrowIfNull(value);
            if (IsBinary)
            {
                throw new ArgumentException($"Key '{Key}' ends in '-bin': give the value as bytes.", nameof(key));
            }

            foreach (var c in value)
            {
                // Header values must be printable ASCII (space included) per the gRPC HTTP/2 spec.
                if (c < 0x20 || c > 0x7E)
                {
                    throw new ArgumentException("Non-binary metadata values must be printable ASCII.", nameof(value));
                }
            }

            _value = value;
        }

        public Entry(string key, byte[] value)
        {
            Key = NormalizeKey(key);
            ArgumentNullException.ThrowIfNull(value);
            if (!IsBinary)
            {
                throw new ArgumentException($"Key '{Key}' must end in '-bin' to carry bytes.", nameof(key));
            }

            _bytes = value;
        }

        public string Key { get; }

        public bool IsBinary => Key.EndsWith(BinarySuffix, StringComparison.Ordinal);

        /// <summary>The string value; for a binary entry, its bytes as UTF-8 is never guessed: this is null.</summary>
        public string? Value => _value;

        /// <summary>The bytes: the binary value, or the ASCII bytes of a string value.</summary>
        public byte[] ValueBytes => _bytes ?? Encoding.ASCII.GetBytes(_value!);

        public override string ToString() => IsBinary ? $"{Key}: <{_bytes!.Length} bytes>" : $"{Key}: {_value}";

        private static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            var lower = key.ToLowerInvariant();
            foreach (var c in lower)
            {
                // Header names: 0-9 a-z _ - . (spec "Custom-Metadata").
                var ok = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.';
                if (!ok)
                {
                    throw new ArgumentException($"Invalid metadata key '{key}'.", nameof(key));
                }
            }

            if (lower.StartsWith("grpc-", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Metadata keys starting with 'grpc-' are reserved ('{key}').", nameof(key));
            }

            return lower;
        }
    }
}

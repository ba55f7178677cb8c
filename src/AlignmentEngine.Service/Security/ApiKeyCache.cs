using System.Diagnostics;
using AlignmentEngine.Storage;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Security;

/// <summary>
/// The store's API keys, read again when older than <see cref="AlignmentServiceOptions.ApiKeyCacheTime"/>: a call
/// costs no query, and a key created or revoked by <c>okr keys</c> (another process) takes effect within that
/// time. While the store is unreachable the last keys read stay in use.
/// </summary>
public sealed class ApiKeyCache(IAlignmentStore store, IOptions<AlignmentServiceOptions> options)
{
    private readonly TimeSpan _maxAge = options.Value.ApiKeyCacheTime;
    private readonly Lock _gate = new();
    private volatile Snapshot? _current;

    /// <summary>Every key by id, revoked ones included.</summary>
    public IReadOnlyDictionary<string, StoredApiKey> Keys
    {
        get
        {
            var current = _current;
            if (current is not null && Stopwatch.GetElapsedTime(current.ReadAt) < _maxAge) return current.Keys;
            lock (_gate)
            {
                current = _current;
                if (current is not null && Stopwatch.GetElapsedTime(current.ReadAt) < _maxAge) return current.Keys;
                try
                {
                    var keys = store.ListApiKeys().ToDictionary(k => k.Id, StringComparer.Ordinal);
                    _current = new Snapshot(keys, Stopwatch.GetTimestamp());
                    return keys;
                }
                catch (StoreUnavailableException e)
                {
                    if (current is null) throw ServiceErrors.Unavailable("the API keys cannot be read", e);
                    return current.Keys;
                }
            }
        }
    }

    private sealed record Snapshot(Dictionary<string, StoredApiKey> Keys, long ReadAt);
}

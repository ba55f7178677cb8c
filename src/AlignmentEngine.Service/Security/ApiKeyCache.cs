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

    // One read of the store at a time: calls that find the keys old wait for it rather than each reading them again.
    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile Snapshot? _current;

    /// <summary>Every key by id, revoked ones included: at once while the last read is young enough, else read again.</summary>
    public ValueTask<IReadOnlyDictionary<string, StoredApiKey>> KeysAsync()
    {
        var current = _current;
        if (current is not null && Stopwatch.GetElapsedTime(current.ReadAt) < _maxAge) return ValueTask.FromResult<IReadOnlyDictionary<string, StoredApiKey>>(current.Keys);
        return ReadAsync();
    }

    private async ValueTask<IReadOnlyDictionary<string, StoredApiKey>> ReadAsync()
    {
        await _reading.WaitAsync().ConfigureAwait(false);
        try
        {
            var current = _current;
            if (current is not null && Stopwatch.GetElapsedTime(current.ReadAt) < _maxAge) return current.Keys;
            try
            {
                var keys = (await store.ListApiKeysAsync().ConfigureAwait(false)).ToDictionary(k => k.Id, StringComparer.Ordinal);
                _current = new Snapshot(keys, Stopwatch.GetTimestamp());
                return keys;
            }
            catch (StoreUnavailableException e)
            {
                if (current is null) throw ServiceErrors.Unavailable("the API keys cannot be read", e);
                return current.Keys;
            }
        }
        finally
        {
            _reading.Release();
        }
    }

    private sealed record Snapshot(Dictionary<string, StoredApiKey> Keys, long ReadAt);
}

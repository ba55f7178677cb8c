using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using AlignmentEngine.Storage;

namespace AlignmentEngine.Service.Security;

/// <summary>
/// API keys as handed out: <c>okr_{id}_{secret}</c>, where the id (12 hex digits) names the key in lists and logs
/// and the secret is 32 random bytes, base64url. Only the SHA-256 of the secret is stored: a plain hash is enough
/// for a high-entropy random secret (no password stretching needed) and keeps each check cheap.
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "okr_";
    private const int SecretBytes = 32;

    /// <summary>A new key for <paramref name="tenant"/>, stored; returns it with its text, which is never shown again.</summary>
    public static async Task<(StoredApiKey Key, string Text)> CreateAsync(IAlignmentStore store, string tenant, IReadOnlyList<string> scopes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(scopes);
        if (!ResourceNames.IsTenantId(tenant)) throw new ArgumentException($"'{tenant}' is not a tenant id (1-63 of a-z, 0-9, -)", nameof(tenant));
        var unknown = scopes.Where(s => !ApiScopes.All.Contains(s)).ToList();
        if (scopes.Count == 0 || unknown.Count > 0)
        {
            throw new ArgumentException($"scopes must be some of {string.Join(", ", ApiScopes.All)}" + (unknown.Count > 0 ? $", not '{string.Join(", ", unknown)}'" : string.Empty), nameof(scopes));
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        var key = new StoredApiKey(id, tenant, [.. scopes.Distinct()], Hash(secret), now, null);
        await store.AddApiKeyAsync(key).ConfigureAwait(false);
        return (key, $"{Prefix}{id}_{secret}");
    }

    /// <summary>Whether any key exists, revoked or not: the service then needs one on every call.</summary>
    public static async Task<bool> AnyExistAsync(IAlignmentStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return (await store.ListApiKeysAsync().ConfigureAwait(false)).Count > 0;
    }

    /// <summary>The id and secret of a key's text, or false when it is not of the form <c>okr_{id}_{secret}</c>.</summary>
    public static bool TryParse(string text, out string id, out string secret)
    {
        ArgumentNullException.ThrowIfNull(text);
        id = secret = string.Empty;
        if (!text.StartsWith(Prefix, StringComparison.Ordinal)) return false;

        // The id is hex, so the first '_' after it ends it; the secret (base64url) may itself contain '_'.
        var end = text.IndexOf('_', Prefix.Length);
        if (end <= Prefix.Length || end == text.Length - 1) return false;
        id = text[Prefix.Length..end];
        secret = text[(end + 1)..];
        return true;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}

using System.Security.Cryptography;
using AlignmentEngine.Rpc;
using AlignmentEngine.Service.Limits;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Security;

/// <summary>
/// Checks the <c>authorization: Bearer okr_…</c> key of every AlignmentService call, before its request is
/// looked at: UNAUTHENTICATED without a valid, unrevoked key, PERMISSION_DENIED without the scope. Once any key
/// has been created (even if since revoked) every call needs one; with none, anyone on the loopback may call.
/// Each key's calls are then rate-limited (RESOURCE_EXHAUSTED naming rate_limit_per_key).
/// </summary>
public sealed class Authorizer(ApiKeyCache keys, IOptions<AlignmentServiceOptions> options)
{
    private const string Scheme = "Bearer ";

    // Compared against when the id is unknown, so that an unknown id costs the same as a wrong secret.
    private static readonly byte[] NoHash = new byte[32];

    private readonly KeyRateLimiter _rate = new(options.Value.RateLimitPerKey, options.Value.RateLimitBurst);

    /// <param name="scope">The scope the call needs; null for any valid key.</param>
    internal Caller Authenticate(ServerCallContext context, string? scope)
    {
        ArgumentNullException.ThrowIfNull(context);
        var all = keys.Keys;
        if (all.Count == 0) return Caller.Anyone;
        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw ServiceErrors.Unauthenticated("an API key is required: send the metadata 'authorization: Bearer okr_…'");
        }

        if (!ApiKeys.TryParse(header[Scheme.Length..].Trim(), out var id, out var secret))
        {
            throw ServiceErrors.Unauthenticated("the API key is not valid");
        }

        var known = all.TryGetValue(id, out var key);
        var matches = CryptographicOperations.FixedTimeEquals(ApiKeys.Hash(secret), known ? key!.Hash : NoHash);
        if (!known || !matches) throw ServiceErrors.Unauthenticated("the API key is not valid");
        if (key!.RevokedAt is not null) throw ServiceErrors.Unauthenticated($"the API key {key.Id} has been revoked");
        if (scope is not null && !ApiScopes.Allows(key.Scopes, scope))
        {
            throw ServiceErrors.PermissionDenied($"the API key {key.Id} lacks the '{scope}' scope this call needs");
        }

        _rate.Take(key.Id);
        return Caller.Of(key.Tenant);
    }
}

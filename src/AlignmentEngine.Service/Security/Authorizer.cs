using System.Security.Cryptography;
using Grpc.Core;
using AlignmentEngine.Service.Limits;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Security;

/// <summary>
/// Checks the <c>authorization: Bearer okr_…</c> key of every AlignmentService call, before its request is
/// looked at: UNAUTHENTICATED without a valid, unrevoked key, PERMISSION_DENIED without the scope. Once any key
/// has been created (even if since revoked) every call needs one; with none, anyone on the loopback may call.
/// Each key's calls are then limited in number at once (max_concurrent_streams_per_key; with no keys, per client
/// address) and in rate (rate_limit_per_key), each answered with RESOURCE_EXHAUSTED naming the limit.
/// </summary>
public sealed class Authorizer(ApiKeyCache keys, IOptions<AlignmentServiceOptions> options)
{
    private const string Scheme = "Bearer ";

    // Compared against when the id is unknown, so that an unknown id costs the same as a wrong secret.
    private static readonly byte[] NoHash = new byte[32];

    private readonly KeyRateLimiter _rate = new(options.Value.RateLimitPerKey, options.Value.RateLimitBurst);

    // Kestrel's HTTP/2 stream limit is per connection, and a client may open as many connections as it likes (and
    // sees refused streams only as transport errors): this bound is per caller, across connections, and says why.
    private readonly OpenSlots _calls = new(options.Value.MaxConcurrentStreamsPerKey, (caller, open) => ServiceErrors.ResourceExhausted("max_concurrent_streams_per_key",
        $"{caller} already has {open} calls in progress; the concurrent streams limit (max_concurrent_streams_per_key) is {options.Value.MaxConcurrentStreamsPerKey}: end a call (or a watch) first"));

    /// <param name="scope">The scope the call needs; null for any valid key.</param>
    internal async ValueTask<Caller> AuthenticateAsync(ServerCallContext context, string? scope)
    {
        ArgumentNullException.ThrowIfNull(context);
        var all = await keys.KeysAsync().ConfigureAwait(false);
        if (all.Count == 0)
        {
            HoldSlot(context, $"client {context.GetHttpContext().Connection.RemoteIpAddress}");
            return Caller.Anyone;
        }

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

        HoldSlot(context, $"API key {key.Id}");
        _rate.Take(key.Id);
        return Caller.Of(key.Tenant, key.Id);
    }

    /// <summary>
    /// UNAUTHENTICATED once the key a caller was admitted with has been revoked (or removed): a long call (a watch)
    /// asks again every <see cref="AlignmentServiceOptions.ApiKeyCacheTime"/>, the time a revocation takes to be read.
    /// </summary>
    internal async ValueTask RecheckAsync(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.KeyId is not { } id) return;
        if (!(await keys.KeysAsync().ConfigureAwait(false)).TryGetValue(id, out var key) || key.RevokedAt is not null)
        {
            throw ServiceErrors.Unauthenticated($"the API key {id} has been revoked");
        }
    }

    /// <summary>Counts the call against its caller's concurrent streams until the call has ended (its request is disposed).</summary>
    private void HoldSlot(ServerCallContext context, string caller) => context.GetHttpContext().Response.RegisterForDispose(_calls.Enter(caller));
}

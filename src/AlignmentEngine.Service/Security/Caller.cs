using Grpc.Core;

namespace AlignmentEngine.Service.Security;

/// <summary>
/// Who is calling: the tenant its key is bound to, or anyone (no keys configured: the service is on loopback
/// only). Another tenant's resources answer NOT_FOUND exactly as a tenant with no goals does, so a key cannot
/// learn whether another tenant exists.
/// </summary>
internal sealed class Caller
{
    private readonly string? _tenant;

    private Caller(string? tenant, string? keyId)
    {
        _tenant = tenant;
        KeyId = keyId;
    }

    /// <summary>Any caller, when no API keys exist.</summary>
    public static Caller Anyone { get; } = new(null, null);

    /// <summary>The id of the API key the caller was admitted with; null for <see cref="Anyone"/>.</summary>
    public string? KeyId { get; }

    /// <summary>A caller admitted with API key <paramref name="keyId"/> of <paramref name="tenant"/>.</summary>
    public static Caller Of(string tenant, string keyId) => new(tenant, keyId);

    /// <summary>
    /// The caller as a tenant's grain sees it: the front checked the caller's key before the call, so the grain's
    /// handlers may use the grain's own tenant, and no other.
    /// </summary>
    public static Caller InGrainOf(string tenant) => new(tenant, null);

    /// <summary>The caller the pipeline admitted for this call (<see cref="AdmitTo"/>).</summary>
    public static Caller Of(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserState.TryGetValue(typeof(Caller), out var caller) ? (Caller)caller : throw new InvalidOperationException("the call was not admitted by the pipeline");
    }

    /// <summary>Hands this caller to the handler of the call.</summary>
    public void AdmitTo(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.UserState[typeof(Caller)] = this;
    }

    /// <summary>NOT_FOUND unless the caller may use <paramref name="tenant"/>.</summary>
    public void Check(string tenant)
    {
        if (_tenant is not null && !string.Equals(_tenant, tenant, StringComparison.Ordinal)) throw ServiceErrors.TenantHasNoGoals(tenant);
    }

    /// <summary><paramref name="tenant"/>, when the caller may use it; otherwise NOT_FOUND.</summary>
    public string Allow(string tenant)
    {
        Check(tenant);
        return tenant;
    }
}

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// What the front answers when a tenant's grain gives no answer of its own: its activation ran out of time (Orleans
/// cancels an activation after <see cref="Hosting.SiloConfiguration.ActivationTimeout"/>, its wait for a load slot
/// included) or the call did (the response timeout); or the silo holding it cannot be reached (it failed, and the
/// cluster has not yet moved the tenant). All are UNAVAILABLE, to retry, rather than an internal error.
/// </summary>
internal static class GrainCallFailures
{
    public static async Task<T> Mapped<T>(this Task<T> call, string tenant)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            throw ServiceErrors.TenantNotLoadedInTime(tenant, e);
        }
        catch (SiloUnavailableException e)
        {
            throw ServiceErrors.TenantUnreachable(tenant, e);
        }
    }
}

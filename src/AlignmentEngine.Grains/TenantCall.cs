namespace AlignmentEngine.Grains;

/// <summary>
/// One RPC made to a tenant: the method's name and its request as the API's protobuf bytes. The front has already
/// checked that the caller may use the tenant (the grain's key) and has done what needs the network (a webhook's DNS check).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TenantCall(string Method, byte[] Request);

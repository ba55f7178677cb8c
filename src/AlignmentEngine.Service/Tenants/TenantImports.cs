using AlignmentEngine.Api.V1;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// Starts the front's side of imports (<see cref="TenantImport"/>), each sent to its tenant's grain in pieces of at most
/// <see cref="PieceBytes"/>: a quarter of the silo's message body limit (Orleans' <c>MaxMessageBodySize</c>, 100 MB by
/// default, which a million-goal import outgrows), leaving the message room for everything else, and never more than
/// 4 MiB, so that one piece is never a large copy on its own.
/// </summary>
public sealed class TenantImports(TenantGrains grains, IOptions<SiloMessagingOptions> messaging)
{
    private const int MaxPieceBytes = 4 * 1024 * 1024;

    internal int PieceBytes { get; } = Math.Min(MaxPieceBytes, messaging.Value.MaxMessageBodySize / 4);

    /// <summary>An import into <paramref name="tenant"/> whose first message is <paramref name="first"/> (its goals not yet added).</summary>
    internal TenantImport Start(string tenant, ImportTreeRequest first) => grains.Import(tenant, first, PieceBytes);
}

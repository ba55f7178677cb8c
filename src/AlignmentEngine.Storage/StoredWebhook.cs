namespace AlignmentEngine.Storage;

/// <summary>A webhook subscription as stored.</summary>
/// <param name="Subtree">The goal whose subtree is watched; null for the whole tenant.</param>
/// <param name="Kinds">Event kinds wanted (<c>value</c>, <c>health</c>, <c>appeared</c>, <c>disappeared</c>); empty for all.</param>
/// <param name="Codes">Finding codes wanted; empty for all.</param>
/// <param name="Secret">The signing secret (<c>whsec_…</c>).</param>
/// <param name="PreviousSecret">The secret before the last rotation, still signing until <paramref name="PreviousExpiresAt"/>.</param>
/// <param name="DisabledAt">When failing deliveries disabled it; null while it is active.</param>
public sealed record StoredWebhook(
    string Id,
    string Tenant,
    string Url,
    string? Subtree,
    IReadOnlyList<string> Kinds,
    IReadOnlyList<string> Codes,
    string Secret,
    string? PreviousSecret,
    DateTimeOffset? PreviousExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DisabledAt);

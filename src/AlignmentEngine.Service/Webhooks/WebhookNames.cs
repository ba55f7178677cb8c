using System.Text.RegularExpressions;

namespace AlignmentEngine.Service.Webhooks;

/// <summary>Webhook resource names: <c>tenants/{tenant}/webhooks/{webhook}</c>, the webhook id being <c>wh</c> and 16 hex digits.</summary>
internal static partial class WebhookNames
{
    public static string Name(string tenant, string id) => $"{ResourceNames.Tenant(tenant)}/webhooks/{id}";

    /// <summary>The tenant and webhook id of a webhook name, or INVALID_ARGUMENT naming <paramref name="field"/>.</summary>
    public static (string Tenant, string Id) Parse(string name, string field)
    {
        var match = Pattern().Match(name);
        if (!match.Success)
        {
            throw ServiceErrors.InvalidArgument(field, $"'{ServiceErrors.Echo(name)}' is not a webhook name of the form tenants/{{tenant}}/webhooks/{{webhook}}");
        }

        return (match.Groups[1].Value, match.Groups[2].Value);
    }

    [GeneratedRegex("^tenants/([a-z0-9][a-z0-9-]{0,62})/webhooks/(wh[0-9a-f]{16})$")]
    private static partial Regex Pattern();
}

using System.Net;
using System.Net.Sockets;

namespace AlignmentEngine.Service.Webhooks;

/// <summary>
/// Which addresses a webhook may be sent to: public unicast ones only, unless insecure targets are allowed
/// (<c>okr serve --allow-insecure-webhooks</c>, for receivers on this machine or a private network). Checked when a
/// subscription is created and again on every connection, on the address actually connected to, so that a name that
/// resolves to a public address at creation and to an internal one later (DNS rebinding) is refused.
/// </summary>
internal static class WebhookAddresses
{
    /// <summary>Why <paramref name="address"/> may not be a webhook target; null when it may.</summary>
    public static string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return "a loopback address";
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return "an unspecified address";
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => "a 'this network' address (0.0.0.0/8)",
                10 => "a private address (10.0.0.0/8)",
                100 when (b[1] & 0xC0) == 64 => "a shared carrier-grade NAT address (100.64.0.0/10)",
                169 when b[1] == 254 => "a link-local address (169.254.0.0/16)",
                172 when (b[1] & 0xF0) == 16 => "a private address (172.16.0.0/12)",
                192 when b[1] == 168 => "a private address (192.168.0.0/16)",
                >= 224 => "a multicast or reserved address (224.0.0.0/3)",
                _ => null,
            };
        }

        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal) return "a link-local address";
        if (address.IsIPv6UniqueLocal) return "a unique local address (fc00::/7)";
        if (address.IsIPv6Multicast) return "a multicast address";
        return null;
    }

    /// <summary>The URL's problem as a webhook target, before any name is resolved (scheme, form); null when none.</summary>
    public static string? UrlRefusal(string url, bool allowInsecure)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
        {
            return $"'{ServiceErrors.Echo(url)}' is not an absolute https URL";
        }

        if (uri.Scheme != "https" && !allowInsecure) return $"'{ServiceErrors.Echo(url)}' is not https: events are only sent encrypted (http needs okr serve --allow-insecure-webhooks)";
        if (uri.UserInfo.Length > 0) return "the URL must not carry a user name or password";
        return null;
    }

    /// <summary>Resolves the URL's host and refuses it when any address it resolves to is not allowed.</summary>
    public static async Task<string?> HostRefusalAsync(Uri url, bool allowInsecure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (allowInsecure) return null;
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(url.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return $"host '{ServiceErrors.Echo(url.Host)}' does not resolve: {e.Message}";
        }

        foreach (var address in addresses)
        {
            if (Refusal(address) is { } why) return $"host '{ServiceErrors.Echo(url.Host)}' resolves to {address}, {why} (allowed only with okr serve --allow-insecure-webhooks)";
        }

        return addresses.Length == 0 ? $"host '{ServiceErrors.Echo(url.Host)}' has no address" : null;
    }
}

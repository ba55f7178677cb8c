using System.Net;
using System.Net.Sockets;
using System.Text;
using AlignmentEngine.Storage;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace AlignmentEngine.Service.Webhooks;

/// <summary>
/// POSTs one event, signed as the Standard Webhooks specification says (<c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature</c>, by the StandardWebhooks package). Connections are made here, to an address checked by
/// <see cref="WebhookAddresses"/> after resolving: the check and the connection use the same address. Shared by every
/// tenant's deliverers: it holds connections, no tenant state.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _client;

    public WebhookSender(IOptions<AlignmentServiceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var allowInsecure = options.Value.AllowInsecureWebhooks;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowInsecure, cancellationToken),
        };
        _client = new HttpClient(handler) { Timeout = options.Value.WebhookTimeout };
    }

    /// <summary>The <c>webhook-id</c> of an event: the same on every attempt, so that receivers can drop repeats.</summary>
    internal static string EventId(string webhookId, long version) => $"msg_{webhookId}_{version}";

    /// <summary>Sends the event; null when the receiver acknowledged it (2xx), else what went wrong.</summary>
    internal async Task<string?> SendAsync(StoredWebhook webhook, StoredDelivery delivery, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = EventId(webhook.Id, delivery.Version);
        var signature = new StandardWebhook(webhook.Secret).Sign(id, now, delivery.Payload);
        if (webhook.PreviousSecret is { } previous && webhook.PreviousExpiresAt > now)
        {
            // During a rotation both keys sign, the new one first: a receiver that checks every signature (as the
            // specification says) verifies with either secret; one that checks only the first (the StandardWebhooks
            // 1.1.2 verifier) refuses until it has the new secret, and the events it refused meanwhile are retried.
            signature += " " + new StandardWebhook(previous).Sign(id, now, delivery.Payload);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException e)
        {
            return e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {_client.Timeout.TotalSeconds} s";
        }
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowInsecure, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        var refusals = new List<string>();
        foreach (var address in addresses)
        {
            if (!allowInsecure && WebhookAddresses.Refusal(address) is { } why)
            {
                refusals.Add($"{address} is {why}");
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                refusals.Add($"{address}: {e.Message}");
            }
        }

        throw new HttpRequestException($"cannot connect to {endpoint.Host}: {(refusals.Count == 0 ? "no address" : string.Join("; ", refusals))}");
    }

    public void Dispose() => _client.Dispose();
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace AlignmentEngine.Tests.Shared;

/// <summary>An event a <see cref="WebhookReceiver"/> verified: its webhook-id, its type, and the tenant version it carries.</summary>
public sealed record ReceivedWebhook(string Id, string Type, long Version, JsonElement Data);

/// <summary>
/// A signed request as it reached a <see cref="WebhookReceiver"/>: its event's webhook-id and version, the port it came
/// from (the sender's end of the connection), and whether it was acknowledged (false: answered 503).
/// </summary>
public sealed record WebhookArrival(string Id, long Version, int SenderPort, bool Acknowledged);

/// <summary>A request a <see cref="WebhookReceiver"/> refused: its headers and body as they came.</summary>
public sealed record RefusedWebhook(string Id, string Timestamp, string Signature, string Payload);

/// <summary>
/// A webhook receiver on 127.0.0.1 (Kestrel, HTTP/1.1), as an integrator would write one: it verifies every request
/// with the StandardWebhooks package's verifier and the subscription's secret, answers 204 to a valid event and 401 to
/// anything else, or 503 to every event while it is <see cref="Unavailable"/>. It can be stopped and started again on the same port (a receiver that is down for a while).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentQueue<RefusedWebhook> _refused = new();
    private readonly ConcurrentQueue<WebhookArrival> _arrivals = new();
    private WebApplication? _app;

    public WebhookReceiver(int? port = null) => Port = port ?? FreePort();

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    /// <summary>The secret events are verified with (set once the subscription is created, or rotated).</summary>
    public string? Secret { get; set; }

    /// <summary>Every verified event, in the order received (repeats of an id included: delivery is at least once).</summary>
    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>Every request whose signature verified, in the order they arrived, the ones answered 503 included.</summary>
    public IReadOnlyList<WebhookArrival> Arrivals => [.. _arrivals];

    /// <summary>While true, verified events are answered 503 (and not <see cref="Received"/>): the sender keeps them to retry.</summary>
    public bool Unavailable { get; set; }

    /// <summary>Requests whose signature did not verify.</summary>
    public IReadOnlyList<RefusedWebhook> Refused => [.. _refused];

    public int Rejected => _refused.Count;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.MapPost("/hook", async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var payload = await reader.ReadToEndAsync();
            try
            {
                new StandardWebhook(Secret ?? throw new WebhookVerificationException("no secret yet")).Verify(payload, context.Request.Headers);
            }
            catch (WebhookVerificationException)
            {
                var headers = context.Request.Headers;
                _refused.Enqueue(new RefusedWebhook(headers["webhook-id"].ToString(), headers["webhook-timestamp"].ToString(), headers["webhook-signature"].ToString(), payload));
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            using var json = JsonDocument.Parse(payload);
            var root = json.RootElement;
            var data = root.GetProperty("data").Clone();
            var id = context.Request.Headers["webhook-id"].ToString();
            var version = data.GetProperty("version").GetInt64();
            var unavailable = Unavailable;
            _arrivals.Enqueue(new WebhookArrival(id, version, context.Connection.RemotePort, !unavailable));
            if (unavailable)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            _received.Enqueue(new ReceivedWebhook(id, root.GetProperty("type").GetString()!, version, data));
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    /// <summary>Waits until the distinct events received reach <paramref name="count"/>; their versions, first arrival of each id, in order.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var distinct = Received.DistinctBy(e => e.Id).ToList();
            if (distinct.Count >= count) return distinct;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{distinct.Count} of {count} webhook events arrived within {patience} (versions: {string.Join(", ", distinct.Select(e => e.Version))}; rejected: {Rejected})");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

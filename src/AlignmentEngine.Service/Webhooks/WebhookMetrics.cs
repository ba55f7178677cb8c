using System.Diagnostics.Metrics;
using AlignmentEngine.Service.Telemetry;

namespace AlignmentEngine.Service.Webhooks;

/// <summary>
/// The webhook meters, beside the other okr.* ones: events acknowledged, attempts that failed, subscriptions disabled,
/// and the lag from a change's commit to its acknowledgement (what an operator alerts on when a receiver falls behind).
/// </summary>
internal static class WebhookMetrics
{
    private static readonly Meter Meter = new(RpcTelemetry.Name);

    private static readonly Counter<long> Delivered = Meter.CreateCounter<long>("okr.webhook.deliveries", "{event}", "Webhook events acknowledged by their receiver.");
    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("okr.webhook.failures", "{attempt}", "Webhook delivery attempts that failed (each retry counts).");
    private static readonly Counter<long> Disabled = Meter.CreateCounter<long>("okr.webhook.disabled", "{subscription}", "Webhook subscriptions disabled after failing past the bound.");
    private static readonly Histogram<double> Lag = Meter.CreateHistogram<double>("okr.webhook.lag", "s", "Time from a change's commit to its webhook event's acknowledgement.");

    public static void Acknowledged(string tenant, TimeSpan lag)
    {
        Delivered.Add(1, Tenant(tenant));
        Lag.Record(Math.Max(0, lag.TotalSeconds), Tenant(tenant));
    }

    public static void AttemptFailed(string tenant) => Failures.Add(1, Tenant(tenant));

    public static void SubscriptionDisabled(string tenant) => Disabled.Add(1, Tenant(tenant));

    private static KeyValuePair<string, object?> Tenant(string tenant) => new("okr.tenant", tenant);
}

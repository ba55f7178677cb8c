using AlignmentEngine.Api.V1;
using AlignmentEngine.Core;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Service.Webhooks;
using AlignmentEngine.Storage;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AlignmentEngine.Service;

public sealed partial class AlignmentService
{
    private static readonly Dictionary<WebhookEventKind, string> EventKinds = new()
    {
        [WebhookEventKind.ValueChanged] = WebhookFilter.Value,
        [WebhookEventKind.HealthChanged] = WebhookFilter.Health,
        [WebhookEventKind.FindingAppeared] = WebhookFilter.Appeared,
        [WebhookEventKind.FindingDisappeared] = WebhookFilter.Disappeared,
    };

    public override async Task<CreateWebhookResponse> CreateWebhook(CreateWebhookRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var tenant = Caller.Of(context).Allow(ResourceNames.ParseTenant(request.Parent));
        var webhook = request.Webhook ?? new Webhook();
        var violations = new FieldViolations();
        if (WebhookAddresses.UrlRefusal(webhook.Url, _options.AllowInsecureWebhooks) is { } badUrl) violations.Add("webhook.url", badUrl);
        else if (await WebhookAddresses.HostRefusalAsync(new Uri(webhook.Url), _options.AllowInsecureWebhooks, context.CancellationToken).ConfigureAwait(false) is { } badHost)
        {
            violations.Add("webhook.url", badHost);
        }

        var subtree = webhook.SubtreeGoalId.Length > 0 ? ToCore.GoalId(webhook.SubtreeGoalId, "webhook.subtree_goal_id", violations) : null;
        var kinds = new List<string>();
        for (var k = 0; k < webhook.EventKinds.Count; k++)
        {
            if (EventKinds.TryGetValue(webhook.EventKinds[k], out var kind)) kinds.Add(kind);
            else violations.Add($"webhook.event_kinds[{k}]", $"{webhook.EventKinds[k]} is not an event kind");
        }

        for (var k = 0; k < webhook.FindingCodes.Count; k++)
        {
            if (!FindingCodes.TryParse(webhook.FindingCodes[k], out _))
            {
                violations.Add($"webhook.finding_codes[{k}]", $"'{ServiceErrors.Echo(webhook.FindingCodes[k])}' is not a finding code (e.g. ORPHANED_GOAL)");
            }
        }

        violations.ThrowIfAny();
        var (created, secret) = Store(() => tenants.GetOrCreate(tenant).Webhooks.Create(webhook.Url, subtree, kinds.Distinct().ToList(), [.. webhook.FindingCodes.Distinct()]));
        return new CreateWebhookResponse { Webhook = ToProtoWebhook(created), Secret = secret };
    }

    public override Task<ListWebhooksResponse> ListWebhooks(ListWebhooksRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tenant = Caller.Of(context).Allow(ResourceNames.ParseTenant(request.Parent));
        var response = new ListWebhooksResponse();
        response.Webhooks.AddRange(Store(() => tenants.GetOrCreate(tenant).Webhooks.Subscriptions).Select(ToProtoWebhook));
        return Task.FromResult(response);
    }

    public override Task<DeleteWebhookResponse> DeleteWebhook(DeleteWebhookRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (tenant, id) = ParseWebhook(request.Name, "name", context);
        if (!Store(() => tenants.GetOrCreate(tenant).Webhooks.Delete(id))) throw WebhookNotFound(request.Name);
        return Task.FromResult(new DeleteWebhookResponse());
    }

    public override Task<RotateWebhookSecretResponse> RotateWebhookSecret(RotateWebhookSecretRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (tenant, id) = ParseWebhook(request.Name, "name", context);
        var (secret, expires) = Store(() => tenants.GetOrCreate(tenant).Webhooks.Rotate(id)) ?? throw WebhookNotFound(request.Name);
        return Task.FromResult(new RotateWebhookSecretResponse { Secret = secret, PreviousSecretExpireTime = Timestamp.FromDateTimeOffset(expires) });
    }

    public override Task<ListFailedWebhookDeliveriesResponse> ListFailedWebhookDeliveries(ListFailedWebhookDeliveriesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (tenant, id) = ParseWebhook(request.Parent, "parent", context);
        var failed = Store(() => tenants.GetOrCreate(tenant).Webhooks.ListFailed(id)) ?? throw WebhookNotFound(request.Parent);
        var response = new ListFailedWebhookDeliveriesResponse();
        response.Deliveries.AddRange(failed.Select(d => new WebhookDelivery
        {
            EventId = WebhookSender.EventId(d.WebhookId, d.Version),
            Version = d.Version,
            Attempts = d.Attempts,
            LastError = d.LastError ?? string.Empty,
            CommitTime = Timestamp.FromDateTimeOffset(d.CommittedAt),
        }));
        return Task.FromResult(response);
    }

    public override Task<RedeliverWebhookResponse> RedeliverWebhook(RedeliverWebhookRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (tenant, id) = ParseWebhook(request.Name, "name", context);
        var requeued = Store(() => tenants.GetOrCreate(tenant).Webhooks.Redeliver(id)) ?? throw WebhookNotFound(request.Name);
        return Task.FromResult(new RedeliverWebhookResponse { Requeued = requeued });
    }

    private static (string Tenant, string Id) ParseWebhook(string name, string field, ServerCallContext context)
    {
        var (tenant, id) = WebhookNames.Parse(name, field);
        return (Caller.Of(context).Allow(tenant), id);
    }

    private static RpcException WebhookNotFound(string name) =>
        ServiceErrors.NotFound(ServiceErrors.WebhookResource, name, $"webhook '{ServiceErrors.Echo(name)}' does not exist");

    /// <summary>Runs a webhook store call; an unavailable database is UNAVAILABLE, as for every write.</summary>
    private static T Store<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (StoreUnavailableException e)
        {
            throw ServiceErrors.Unavailable("the webhooks could not be read or written", e);
        }
    }

    private static Webhook ToProtoWebhook(StoredWebhook stored)
    {
        var webhook = new Webhook
        {
            Name = WebhookNames.Name(stored.Tenant, stored.Id),
            Url = stored.Url,
            SubtreeGoalId = stored.Subtree ?? string.Empty,
            State = stored.DisabledAt is null ? WebhookState.Active : WebhookState.Disabled,
            CreateTime = Timestamp.FromDateTimeOffset(stored.CreatedAt),
            DisableTime = stored.DisabledAt is { } disabled ? Timestamp.FromDateTimeOffset(disabled) : null,
        };
        webhook.EventKinds.AddRange(stored.Kinds.Select(k => EventKinds.First(e => e.Value == k).Key));
        webhook.FindingCodes.AddRange(stored.Codes);
        return webhook;
    }
}

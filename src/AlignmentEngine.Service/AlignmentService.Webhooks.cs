using AlignmentEngine.Api.V1;
using AlignmentEngine.Core;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Service.Tenants;
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

    /// <summary>
    /// The front of a subscription: checks it, and its host's addresses (which needs the network, so it is done here
    /// rather than in the tenant's grain), then has the grain store it and start its deliverer.
    /// </summary>
    public override async Task<CreateWebhookResponse> CreateWebhook(CreateWebhookRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var tenant = Caller.Of(context).Allow(ResourceNames.ParseTenant(request.Parent));
        var webhook = request.Webhook ?? new Webhook();
        var violations = new FieldViolations();
        if (WebhookAddresses.UrlRefusal(webhook.Url, _options.AllowInsecureWebhooks) is null
            && await WebhookAddresses.HostRefusalAsync(new Uri(webhook.Url), _options.AllowInsecureWebhooks, context.CancellationToken).ConfigureAwait(false) is { } badHost)
        {
            violations.Add("webhook.url", badHost);
        }

        ParseSubscription(webhook, violations);
        violations.ThrowIfAny();
        return await grains.Write(tenant, TenantMethods.CreateWebhook, request, CreateWebhookResponse.Parser).ConfigureAwait(false);
    }

    public override Task<ListWebhooksResponse> ListWebhooks(ListWebhooksRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tenant = Caller.Of(context).Allow(ResourceNames.ParseTenant(request.Parent));
        return grains.Read(tenant, TenantMethods.ListWebhooks, request, ListWebhooksResponse.Parser);
    }

    public override Task<DeleteWebhookResponse> DeleteWebhook(DeleteWebhookRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (tenant, _) = ParseWebhook(request.Name, "name", Caller.Of(context));
        return grains.Write(tenant, TenantMethods.DeleteWebhook, request, DeleteWebhookResponse.Parser);
    }

    public override Task<RotateWebhookSecretResponse> RotateWebhookSecret(RotateWebhookSecretRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (tenant, _) = ParseWebhook(request.Name, "name", Caller.Of(context));
        return grains.Write(tenant, TenantMethods.RotateWebhookSecret, request, RotateWebhookSecretResponse.Parser);
    }

    public override Task<ListFailedWebhookDeliveriesResponse> ListFailedWebhookDeliveries(ListFailedWebhookDeliveriesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (tenant, _) = ParseWebhook(request.Parent, "parent", Caller.Of(context));
        return grains.Read(tenant, TenantMethods.ListFailedWebhookDeliveries, request, ListFailedWebhookDeliveriesResponse.Parser);
    }

    public override Task<RedeliverWebhookResponse> RedeliverWebhook(RedeliverWebhookRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (tenant, _) = ParseWebhook(request.Name, "name", Caller.Of(context));
        return grains.Write(tenant, TenantMethods.RedeliverWebhook, request, RedeliverWebhookResponse.Parser);
    }

    /// <summary>The grain's part of a subscription: stored, and its deliverer started, with the tenant's activation.</summary>
    internal async Task<CreateWebhookResponse> CreateWebhook(CreateWebhookRequest request, Caller caller)
    {
        var tenant = caller.Allow(ResourceNames.ParseTenant(request.Parent));
        var webhook = request.Webhook ?? new Webhook();
        var violations = new FieldViolations();
        var (subtree, kinds) = ParseSubscription(webhook, violations);
        violations.ThrowIfAny();
        var (created, secret) = await Store(() => tenants.GetOrCreate(tenant).Webhooks.CreateAsync(webhook.Url, subtree, kinds, [.. webhook.FindingCodes.Distinct()])).ConfigureAwait(false);
        return new CreateWebhookResponse { Webhook = ToProtoWebhook(created), Secret = secret };
    }

    internal async Task<ListWebhooksResponse> ListWebhooks(ListWebhooksRequest request, Caller caller)
    {
        var tenant = caller.Allow(ResourceNames.ParseTenant(request.Parent));
        var response = new ListWebhooksResponse();
        var webhooks = tenants.GetOrCreate(tenant).Webhooks;
        await Store(async () =>
        {
            await webhooks.LoadAsync().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        response.Webhooks.AddRange(webhooks.Subscriptions.Select(ToProtoWebhook));
        return response;
    }

    internal async Task<DeleteWebhookResponse> DeleteWebhook(DeleteWebhookRequest request, Caller caller)
    {
        var (tenant, id) = ParseWebhook(request.Name, "name", caller);
        if (!await Store(() => tenants.GetOrCreate(tenant).Webhooks.DeleteAsync(id)).ConfigureAwait(false)) throw WebhookNotFound(request.Name);
        return new DeleteWebhookResponse();
    }

    internal async Task<RotateWebhookSecretResponse> RotateWebhookSecret(RotateWebhookSecretRequest request, Caller caller)
    {
        var (tenant, id) = ParseWebhook(request.Name, "name", caller);
        var (secret, expires) = await Store(() => tenants.GetOrCreate(tenant).Webhooks.RotateAsync(id)).ConfigureAwait(false) ?? throw WebhookNotFound(request.Name);
        return new RotateWebhookSecretResponse { Secret = secret, PreviousSecretExpireTime = Timestamp.FromDateTimeOffset(expires) };
    }

    internal async Task<ListFailedWebhookDeliveriesResponse> ListFailedWebhookDeliveries(ListFailedWebhookDeliveriesRequest request, Caller caller)
    {
        var (tenant, id) = ParseWebhook(request.Parent, "parent", caller);
        var failed = await Store(() => tenants.GetOrCreate(tenant).Webhooks.ListFailedAsync(id)).ConfigureAwait(false) ?? throw WebhookNotFound(request.Parent);
        var response = new ListFailedWebhookDeliveriesResponse();
        response.Deliveries.AddRange(failed.Select(d => new WebhookDelivery
        {
            EventId = WebhookSender.EventId(d.WebhookId, d.Version),
            Version = d.Version,
            Attempts = d.Attempts,
            LastError = d.LastError ?? string.Empty,
            CommitTime = Timestamp.FromDateTimeOffset(d.CommittedAt),
        }));
        return response;
    }

    internal async Task<RedeliverWebhookResponse> RedeliverWebhook(RedeliverWebhookRequest request, Caller caller)
    {
        var (tenant, id) = ParseWebhook(request.Name, "name", caller);
        var requeued = await Store(() => tenants.GetOrCreate(tenant).Webhooks.RedeliverAsync(id)).ConfigureAwait(false) ?? throw WebhookNotFound(request.Name);
        return new RedeliverWebhookResponse { Requeued = requeued };
    }

    /// <summary>
    /// A subscription's fields as the webhooks keep them (its subtree and event kinds), each bad one a violation: the
    /// URL's form (not its host's addresses, which the front checks), the subtree, the event kinds, the finding codes.
    /// </summary>
    private (string? Subtree, List<string> Kinds) ParseSubscription(Webhook webhook, FieldViolations violations)
    {
        if (WebhookAddresses.UrlRefusal(webhook.Url, _options.AllowInsecureWebhooks) is { } badUrl) violations.Add("webhook.url", badUrl);
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

        return (subtree, [.. kinds.Distinct()]);
    }

    private static (string Tenant, string Id) ParseWebhook(string name, string field, Caller caller)
    {
        var (tenant, id) = WebhookNames.Parse(name, field);
        return (caller.Allow(tenant), id);
    }

    private static RpcException WebhookNotFound(string name) =>
        ServiceErrors.NotFound(ServiceErrors.WebhookResource, name, $"webhook '{ServiceErrors.Echo(name)}' does not exist");

    /// <summary>Runs a webhook store call; an unavailable database is UNAVAILABLE, as for every write.</summary>
    private static async Task<T> Store<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
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

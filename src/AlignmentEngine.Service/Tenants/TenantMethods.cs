namespace AlignmentEngine.Service.Tenants;

/// <summary>The names of the calls a tenant grain runs: the RPCs' own names.</summary>
internal static class TenantMethods
{
    public const string ApplyChanges = nameof(ApplyChanges);
    public const string SimulateChanges = nameof(SimulateChanges);
    public const string RecordCheckIns = nameof(RecordCheckIns);
    public const string GetGoal = nameof(GetGoal);
    public const string ListGoals = nameof(ListGoals);
    public const string GetRollup = nameof(GetRollup);
    public const string GetTree = nameof(GetTree);
    public const string AnalyzeAlignment = nameof(AnalyzeAlignment);
    public const string ExportTree = nameof(ExportTree);
    public const string GetProgressHistory = nameof(GetProgressHistory);
    public const string CreateWebhook = nameof(CreateWebhook);
    public const string ListWebhooks = nameof(ListWebhooks);
    public const string DeleteWebhook = nameof(DeleteWebhook);
    public const string RotateWebhookSecret = nameof(RotateWebhookSecret);
    public const string ListFailedWebhookDeliveries = nameof(ListFailedWebhookDeliveries);
    public const string RedeliverWebhook = nameof(RedeliverWebhook);

    /// <summary>Whether the call may add or remove a subscription (the grain then decides again whether to stay activated).</summary>
    public static bool ChangesSubscriptions(string method) => method is CreateWebhook or DeleteWebhook;
}

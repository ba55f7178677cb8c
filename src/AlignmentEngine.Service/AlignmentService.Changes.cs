using AlignmentEngine.Api.V1;
using AlignmentEngine.Core;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Service.Security;
using CoreChange = AlignmentEngine.Core.GoalChange;

namespace AlignmentEngine.Service;

public sealed partial class AlignmentService
{
    internal Task<ApplyChangesResponse> ApplyChanges(ApplyChangesRequest request, Caller caller)
    {
        var (tenant, changes, asOf, maxListed) = ParseChanges(caller, request.Parent, request.Changes, request.AsOf, request.MaxListed);
        var key = RequestIds.Key(nameof(ApplyChanges), request);
        var target = tenants.GetOrCreate(tenant);
        return target.ApplyAsync(request.HasExpectedVersion ? request.ExpectedVersion : null, changes, asOf, Limits(target, changes), key,
            result => Refused(target, result, "changes"),
            (version, result) => new ApplyChangesResponse { Version = version, Outcome = ToProto.Outcome(result, maxListed) });
    }

    internal async Task<SimulateChangesResponse> SimulateChanges(SimulateChangesRequest request, Caller caller)
    {
        var (tenant, changes, asOf, maxListed) = ParseChanges(caller, request.Parent, request.Changes, request.AsOf, request.MaxListed);
        var target = tenants.GetOrCreate(tenant);
        var (version, result) = await target.SimulateAsync(request.HasExpectedVersion ? request.ExpectedVersion : null, changes, asOf, Limits(target, changes)).ConfigureAwait(false);
        if (!result.Accepted) throw Refused(target, result, "changes");
        return new SimulateChangesResponse { Version = version, Outcome = ToProto.Outcome(result, maxListed) };
    }

    internal Task<RecordCheckInsResponse> RecordCheckIns(RecordCheckInsRequest request, Caller caller)
    {
        var tenant = caller.Allow(ResourceNames.ParseTenant(request.Parent));
        CheckCount(request.CheckIns.Count, "check_ins");
        var violations = new FieldViolations();
        var asOf = Dates.AsOf(request.AsOf, violations, clock);
        var changes = new List<CoreChange>(request.CheckIns.Count);
        for (var k = 0; k < request.CheckIns.Count; k++) changes.Add(ToCore.CheckIn(request.CheckIns[k], $"check_ins[{k}]", violations));
        if (request.CheckIns.Count == 0) violations.Add("check_ins", "at least one check-in is required");
        violations.ThrowIfAny();
        var key = RequestIds.Key(nameof(RecordCheckIns), request);
        var target = tenants.Get(tenant);
        return target.ApplyAsync(request.HasExpectedVersion ? request.ExpectedVersion : null, changes, asOf, Limits(target, changes), key,
            result => Refused(target, result, "check_ins"),
            (version, result) =>
            {
                var response = new RecordCheckInsResponse { Version = version };
                response.Goals.AddRange(result.Goals.Select(ToProto.Delta));
                return response;
            });
    }

    private (string Tenant, List<CoreChange> Changes, DateOnly AsOf, int MaxListed) ParseChanges(Caller caller, string parent, IReadOnlyList<Api.V1.GoalChange> changes, Google.Type.Date? asOfDate, int maxListed)
    {
        var tenant = caller.Allow(ResourceNames.ParseTenant(parent));
        CheckCount(changes.Count, "changes");
        var violations = new FieldViolations();
        var asOf = Dates.AsOf(asOfDate, violations, clock);
        var parsed = new List<CoreChange>(changes.Count);
        for (var k = 0; k < changes.Count; k++) parsed.Add(ToCore.Change(changes[k], $"changes[{k}]", violations));
        if (changes.Count == 0) violations.Add("changes", "at least one change is required");
        if (maxListed < 0) violations.Add("max_listed", $"must be 0 (the default, {ToProto.DefaultMaxListed}) or more, not {maxListed}");
        violations.ThrowIfAny();
        return (tenant, parsed, asOf, maxListed == 0 ? ToProto.DefaultMaxListed : maxListed);
    }

    /// <summary>The check, run on the graph before the change, that it stays within the tenant's goal limit.</summary>
    private Action<AlignmentGraph> Limits(Tenants.Tenant tenant, List<CoreChange> changes) => graph =>
    {
        var added = changes.OfType<UpsertGoal>().Select(u => u.Goal.Id).Where(id => !graph.Contains(id)).Distinct().Count();
        if (graph.Count + added > _options.MaxGoalsPerTenant)
        {
            throw ServiceErrors.ResourceExhausted("max_goals_per_tenant",
                $"the change would bring tenant '{tenant.Id}' to {graph.Count + added} goals; the limit (max_goals_per_tenant) is {_options.MaxGoalsPerTenant}");
        }
    };

    /// <summary>The status of a change the graph refused: NOT_FOUND for a goal it names that is not there, else FAILED_PRECONDITION.</summary>
    /// <param name="field">The request's list of operations (<c>changes</c>, <c>check_ins</c>), which errors name.</param>
    private static Exception Refused(Tenants.Tenant tenant, ChangeResult result, string field)
    {
        if (result.Missing.Count > 0)
        {
            var missing = result.Missing[0];
            return ServiceErrors.NotFound(ServiceErrors.GoalResource, ResourceNames.Goal(tenant.Id, missing.GoalId),
                $"{field}[{missing.OperationIndex}]: {missing.Message} in tenant '{ServiceErrors.Echo(tenant.Id)}'");
        }

        return ServiceErrors.InvalidTree(result.Errors, result.FailedOperation is { } k ? $"{field}[{k}]" : null);
    }

    private void CheckCount(int count, string field)
    {
        if (count > _options.MaxChangesPerRequest)
        {
            throw ServiceErrors.ResourceExhausted("max_changes_per_request",
                $"{field} holds {count} entries; the limit (max_changes_per_request) is {_options.MaxChangesPerRequest}");
        }
    }
}

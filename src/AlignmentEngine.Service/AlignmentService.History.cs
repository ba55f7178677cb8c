using AlignmentEngine.Api.V1;
using AlignmentEngine.Service.Mapping;
using AlignmentEngine.Service.Security;

namespace AlignmentEngine.Service;

public sealed partial class AlignmentService
{
    internal async Task<GetProgressHistoryResponse> GetProgressHistory(GetProgressHistoryRequest request, Caller caller)
    {
        var (tenant, id) = ResourceNames.ParseGoal(request.Name);
        caller.Check(tenant);
        var violations = new FieldViolations();
        var start = Dates.FromProto(request.StartDate, "start_date", violations);
        var end = Dates.FromProto(request.EndDate, "end_date", violations);
        if (request.StartDate is null) violations.Add("start_date", "required");
        if (request.EndDate is null) violations.Add("end_date", "required");
        if (start is { } s && end is { } e && e < s) violations.Add("end_date", $"{e:yyyy-MM-dd} is before start_date {s:yyyy-MM-dd}");
        violations.ThrowIfAny();
        var step = request.Step == HistoryStep.Week ? 7 : 1;
        var points = ((end!.Value.DayNumber - start!.Value.DayNumber) / step) + 1;
        if (points > _options.MaxHistoryPoints)
        {
            throw ServiceErrors.ResourceExhausted("max_history_points",
                $"the range holds {points} points; the limit (max_history_points) is {_options.MaxHistoryPoints}: take a longer step or a shorter range");
        }

        var days = Enumerable.Range(0, points).Select(k => start.Value.AddDays(k * step)).ToList();
        var response = new GetProgressHistoryResponse();
        await history.WalkAsync(tenant, days, (day, graph, version) =>
        {
            var point = new ProgressPoint { Date = Dates.ToProto(day), Version = version };
            if (graph?.GetResult(id, day) is { } result) point.Status = ToProto.Status(result);
            response.Points.Add(point);
        }).ConfigureAwait(false);
        return response;
    }
}

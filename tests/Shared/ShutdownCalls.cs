using AlignmentEngine.Api.V1;
using Grpc.Core;

namespace AlignmentEngine.Tests.Shared;

/// <summary>What the shutdown tests (in process and of okr serve) send and wait for.</summary>
internal static class ShutdownCalls
{
    /// <summary>Waits (a bounded while: the listener closes just after health turns) until the call is UNAVAILABLE.</summary>
    public static async Task RefusedAsync(Func<Task> call, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await call();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return;
            }

            if (DateTime.UtcNow > until) Assert.Fail($"{what} was still served 20 s after the stop began");
            await Task.Delay(50);
        }
    }

    /// <summary>A company objective and key results under it.</summary>
    public static List<Goal> ImportGoals(int count)
    {
        var goals = new List<Goal> { new() { GoalId = "C", Type = GoalType.Objective, Level = GoalLevel.Company } };
        for (var k = 1; k < count; k++)
        {
            var goal = new Goal { GoalId = $"KR{k}", Type = GoalType.KeyResult, Metric = new Metric { Direction = MetricDirection.Increase, Start = 0, Target = 10, Current = k % 10 } };
            goal.Parents.Add(new ParentLink { ParentGoalId = "C" });
            goals.Add(goal);
        }

        return goals;
    }

    public static ImportTreeRequest ImportMessage(IEnumerable<Goal> goals, string? parent)
    {
        var message = new ImportTreeRequest { Parent = parent ?? string.Empty };
        message.Goals.AddRange(goals);
        return message;
    }
}

using AlignmentEngine.Api.V1;

namespace AlignmentEngine.Soak;

/// <summary>
/// The soak tenant's tree: company objective C, department objectives D0…, key results K{d}.{k} under them (0→10).
/// Key results are shared out among the writers, so each writer knows its own key results' parents.
/// </summary>
internal sealed class SoakTree(int departments, int keyResults)
{
    public const string Tenant = "soak";

    public const string Parent = $"tenants/{Tenant}";

    public int Departments => departments;

    public static string Department(int d) => $"D{d}";

    public static string KeyResult(int d, int k) => $"K{d}.{k}";

    public static string Name(string goal) => $"{Parent}/goals/{goal}";

    /// <summary>Every key result, as (id, its department at start).</summary>
    public IEnumerable<(string Id, int Department)> KeyResultsAtStart() =>
        Enumerable.Range(0, departments).SelectMany(d => Enumerable.Range(0, keyResults).Select(k => (KeyResult(d, k), d)));

    public IEnumerable<Goal> Goals()
    {
        yield return new Goal { GoalId = "C", Type = GoalType.Objective, Level = GoalLevel.Company, Title = "Company" };
        for (var d = 0; d < departments; d++)
        {
            var department = new Goal { GoalId = Department(d), Type = GoalType.Objective, Level = GoalLevel.Department };
            department.Parents.Add(new ParentLink { ParentGoalId = "C" });
            yield return department;
        }

        foreach (var (id, d) in KeyResultsAtStart())
        {
            var kr = new Goal { GoalId = id, Type = GoalType.KeyResult, Metric = new Metric { Direction = MetricDirection.Increase, Start = 0, Target = 10, Current = 0 } };
            kr.Parents.Add(new ParentLink { ParentGoalId = Department(d) });
            yield return kr;
        }
    }
}

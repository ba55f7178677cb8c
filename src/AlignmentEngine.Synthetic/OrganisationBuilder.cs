using AlignmentEngine.Core;

namespace AlignmentEngine.Synthetic;

/// <summary>
/// The stateful half of <see cref="OrganisationGenerator"/>: grows the organisation top down on a goal budget,
/// then settles what depends on the goals below (cascaded targets, key results left without support).
/// </summary>
/// <remarks>
/// Every random decision draws from one <see cref="Random"/> seeded by the caller, in a fixed order, so the
/// output depends on nothing else. Parents are always generated before their children, which is what lets
/// <see cref="Settle"/> run as one pass from the last goal to the first.
/// </remarks>
internal sealed class OrganisationBuilder(int goals, int seed)
{
    public const string Year = "FY2026";
    public const string Half = "2026-H2";
    public const string PastQuarter = "2026-Q3";
    public const string Quarter = "2026-Q4";
    public const string NextQuarter = "2027-Q1";

    private static readonly string[] Units = ["%", "count", "days", "NPS"];
    private static readonly string[] ObjectiveTitles =
    [
        "Grow recurring revenue", "Delight our customers", "Ship the platform rewrite", "Hire and grow great people",
        "Make operations boringly reliable", "Win the enterprise segment", "Cut cost to serve", "Raise product quality",
    ];

    private static readonly string[] KeyResultTitles =
    [
        "Raise net revenue retention", "Reduce time to resolve tickets", "Lift NPS", "Close the migration milestones",
        "Cut infrastructure spend", "Increase weekly active users", "Keep incidents under budget", "Book new business",
    ];

    private readonly Random _random = new(seed);
    private readonly List<GoalDraft> _drafts = new(goals);
    private readonly List<GoalDraft> _companyKrs = [];
    private readonly List<GoalDraft> _companyObjectives = [];
    private readonly List<GoalDraft> _departmentRollups = [];
    private readonly int _maxExtraTeams = Math.Min(goals / 50_000, 24);
    private int _remaining = goals;
    private int _people;

    public List<GoalDraft> Grow()
    {
        GrowCompany();
        for (var d = 1; _remaining > 0; d++) GrowDepartment(d);
        Settle();
        return _drafts;
    }

    /// <summary>
    /// Key results for the next unit (an objective and 3–5 key results), or null when the budget is spent. Never
    /// leaves a remainder that whole units cannot fill (1–3, or 7), so the tree ends on exactly the size asked.
    /// </summary>
    private int? NextUnit()
    {
        if (_remaining == 0) return null;
        if (_remaining <= 6)
        {
            var last = _remaining - 1;
            _remaining = 0;
            return last;
        }

        var first = _random.Next(3);
        for (var t = 0; t < 3; t++)
        {
            var krs = 3 + ((first + t) % 3);
            var left = _remaining - 1 - krs;
            if (left >= 8 || left is >= 4 and <= 6)
            {
                _remaining = left;
                return krs;
            }
        }

        throw new InvalidOperationException($"no unit fits a remainder of {_remaining}");
    }

    private void GrowCompany()
    {
        var objectives = 3 + _random.Next(3);
        for (var c = 1; c <= objectives; c++)
        {
            var krs = NextUnit()!.Value;
            var objective = Add(new GoalDraft($"C{c}", GoalType.Objective)
            {
                Level = GoalLevel.Company, Title = Pick(ObjectiveTitles), Owner = $"exec{c}", PeriodName = Year,
            });
            _companyObjectives.Add(objective);
            for (var k = 1; k <= krs; k++)
            {
                var kr = KeyResult($"C{c}.KR{k}", objective);
                if (c == 1 && k == 1)
                {
                    kr.Metric = Cascaded();
                }
                else if (_random.NextDouble() < 0.5)
                {
                    kr.RolledUp = true;
                }
                else
                {
                    kr.Metric = OwnMetric(ended: false);
                }

                _companyKrs.Add(kr);
            }
        }
    }

    private void GrowDepartment(int d)
    {
        if (NextUnit() is not { } krs) return;
        var revenue = _random.NextDouble() < 0.3;
        var arr = _companyKrs[0];
        var department = Add(new GoalDraft($"D{d}", GoalType.Objective)
        {
            Level = GoalLevel.Department, Title = Pick(ObjectiveTitles), Owner = $"D{d}.lead", PeriodName = Half,
        });
        department.Parents.Add(new ParentLink(revenue ? arr.Id : Pick(_companyKrs).Id));
        if (_random.NextDouble() < 0.15)
        {
            // Supports a second company objective without counting in it: a typical multi-parent alignment.
            department.Parents.Add(new ParentLink(Pick(_companyObjectives).Id, 1, Contributes: false));
        }

        var conflict = krs >= 3 && _random.NextDouble() < 0.2;
        var departmentKrs = new List<GoalDraft>(krs);
        for (var k = 1; k <= krs; k++)
        {
            var kr = KeyResult($"D{d}.KR{k}", department);
            if (k == 1)
            {
                kr.RolledUp = true;
                _departmentRollups.Add(kr);
            }
            else if (k == 2 && revenue)
            {
                kr.Metric = Cascaded();
                kr.Parents.Add(new ParentLink(arr.Id));
            }
            else if (k == 3 && conflict)
            {
                // The department caps spend at 100 while one of its teams plans to reach 120 on the same key.
                kr.Metric = new Metric(MetricDirection.AtMost, 0, 100, Round(80 + (_random.NextDouble() * 40)), "k$", OpexKey(d));
            }
            else
            {
                kr.Metric = OwnMetric(ended: false);
            }

            departmentKrs.Add(kr);
        }

        var teams = 4 + _random.Next(_maxExtraTeams + 3);
        for (var t = 1; t <= teams && _remaining > 0; t++)
        {
            GrowTeam(d, t, department, departmentKrs, revenue, conflict && t == 1);
        }
    }

    private void GrowTeam(int d, int t, GoalDraft department, List<GoalDraft> departmentKrs, bool revenue, bool conflict)
    {
        if (NextUnit() is not { } krs) return;
        var id = $"D{d}.T{t}";
        var ended = _random.NextDouble() < 0.15;
        var team = Add(new GoalDraft(id, GoalType.Objective)
        {
            Level = GoalLevel.Team, Title = Pick(ObjectiveTitles), Owner = $"{id}.lead", PeriodName = ended ? PastQuarter : Quarter,
        });
        if (_random.NextDouble() < 0.005)
        {
            // Archived with its key results left active: they and the people below become orphans.
            team.State = GoalState.Archived;
        }
        else if (ended && _random.NextDouble() < 0.3)
        {
            team.State = GoalState.Completed;
        }

        team.Parents.Add(new ParentLink(_random.NextDouble() < 0.7 ? departmentKrs[0].Id : Pick(departmentKrs).Id));
        if (_random.NextDouble() < 0.1 && _departmentRollups.Count > 1)
        {
            var other = Pick(_departmentRollups);
            if (other != departmentKrs[0]) team.Parents.Add(new ParentLink(other.Id, 0.5));
        }

        var sales = revenue && _random.NextDouble() < 0.6;
        var cascaded = revenue ? departmentKrs[1] : null;
        var teamKrs = new List<GoalDraft>(krs);
        for (var k = 1; k <= krs; k++)
        {
            var kr = KeyResult($"{id}.KR{k}", team);
            if (k == 1)
            {
                kr.RolledUp = true;
            }
            else if (k == 2 && sales)
            {
                kr.Metric = Cascaded();
                kr.Parents.Add(new ParentLink(cascaded!.Id));
            }
            else if (k == 3 && conflict)
            {
                kr.Metric = new Metric(MetricDirection.Increase, 50, 120, Round(50 + (_random.NextDouble() * 60)), "k$", OpexKey(d));
            }
            else
            {
                kr.Metric = OwnMetric(ended);
            }

            teamKrs.Add(kr);
        }

        var people = 4 + _random.Next(7);
        for (var p = 1; p <= people && _remaining > 0; p++)
        {
            GrowPerson($"{id}.P{p}", team, teamKrs, sales, ended);
        }
    }

    private void GrowPerson(string id, GoalDraft team, List<GoalDraft> teamKrs, bool sales, bool ended)
    {
        if (NextUnit() is not { } krs) return;
        var draft = _random.NextDouble() < 0.03;
        var person = Add(new GoalDraft(id, GoalType.Objective)
        {
            Level = GoalLevel.Individual, Title = Pick(ObjectiveTitles), Owner = $"u{++_people}",
            State = draft ? GoalState.Draft : GoalState.Active,
        });
        if (_random.NextDouble() < 0.003) person.PeriodName = NextQuarter; // planned ahead: outside the team's quarter
        person.Parents.Add(new ParentLink(_random.NextDouble() < 0.8 ? teamKrs[0].Id : team.Id));

        for (var k = 1; k <= krs; k++)
        {
            var kr = KeyResult($"{id}.KR{k}", person);
            var roll = _random.NextDouble();
            kr.State = draft ? GoalState.Draft
                : roll < 0.01 ? GoalState.Cancelled
                : roll < 0.02 ? GoalState.Paused
                : roll < 0.04 ? GoalState.Completed
                : GoalState.Active;
            if (k == 1 && sales)
            {
                // Bookings: counted in the person's objective and summed into the team's cascaded revenue.
                var unit = _random.NextDouble() < 0.02 ? "$" : OrganisationGenerator.CashUnit;
                var target = Round(20 + (_random.NextDouble() * 180));
                kr.Metric = new Metric(MetricDirection.Increase, 0, target, CurrentFor(0, target, ended), unit);
                kr.Parents.Add(new ParentLink(teamKrs[1].Id));
            }
            else
            {
                kr.Metric = OwnMetric(ended);
            }
        }
    }

    /// <summary>
    /// Decides what needs the goals below: a cascaded sum's target from its parts (about one in ten planned short
    /// of the whole), and a metric for key results that ended up with nothing to roll up or sum.
    /// </summary>
    private void Settle()
    {
        var index = new Dictionary<string, int>(_drafts.Count, StringComparer.Ordinal);
        for (var i = 0; i < _drafts.Count; i++) index.Add(_drafts[i].Id, i);
        var children = ChildLists(index, out var start);

        for (var i = _drafts.Count - 1; i >= 0; i--)
        {
            var goal = _drafts[i];
            if (goal.Metric is { Aggregates: true } sum)
            {
                var parts = 0.0;
                var any = false;
                for (var k = start[i]; k < start[i + 1]; k++)
                {
                    var (child, link) = children[k];
                    var metric = _drafts[child].Metric;
                    if (link.Contributes && _drafts[child].State.IsCounted() && metric is not null && metric.Unit == sum.Unit)
                    {
                        parts += metric.Target!.Value;
                        any = true;
                    }
                }

                var factor = _random.NextDouble() < 0.1 ? 1.05 + (_random.NextDouble() * 0.1) : 0.85 + (_random.NextDouble() * 0.15);
                goal.Metric = any
                    ? sum with { Target = Math.Max(1, Round(parts * factor)) }
                    : new Metric(MetricDirection.Increase, 0, 100, CurrentFor(0, 100, ended: false), OrganisationGenerator.CashUnit);
            }
            else if (goal.RolledUp)
            {
                var supported = false;
                for (var k = start[i]; k < start[i + 1] && !supported; k++)
                {
                    var (child, link) = children[k];
                    supported = link.Contributes && _drafts[child].State.IsCounted();
                }

                if (!supported)
                {
                    goal.RolledUp = false;
                    goal.Metric = OwnMetric(ended: false);
                }
            }
        }
    }

    private (int Child, ParentLink Link)[] ChildLists(Dictionary<string, int> index, out int[] start)
    {
        start = new int[_drafts.Count + 1];
        foreach (var goal in _drafts)
        {
            foreach (var link in goal.Parents) start[index[link.ParentId] + 1]++;
        }

        for (var i = 0; i < _drafts.Count; i++) start[i + 1] += start[i];
        var fill = start[..^1];
        var children = new (int, ParentLink)[start[^1]];
        for (var i = 0; i < _drafts.Count; i++)
        {
            foreach (var link in _drafts[i].Parents) children[fill[index[link.ParentId]]++] = (i, link);
        }

        return children;
    }

    private GoalDraft Add(GoalDraft goal)
    {
        _drafts.Add(goal);
        return goal;
    }

    private GoalDraft KeyResult(string id, GoalDraft objective)
    {
        var kr = Add(new GoalDraft(id, GoalType.KeyResult) { Title = Pick(KeyResultTitles), State = objective.State == GoalState.Draft ? GoalState.Draft : GoalState.Active });
        kr.Parents.Add(new ParentLink(objective.Id));
        return kr;
    }

    /// <summary>A cascaded revenue sum; its target is set by <see cref="Settle"/> once its parts exist.</summary>
    private static Metric Cascaded() =>
        new(MetricDirection.Increase, 0, null, null, OrganisationGenerator.CashUnit, Aggregate: MetricAggregate.Sum);

    /// <summary>A key result measured by its own check-ins, with a mix of directions and progress.</summary>
    private Metric OwnMetric(bool ended)
    {
        var kind = _random.NextDouble();
        var unit = Pick(Units);
        if (kind < 0.55)
        {
            var start = Round(_random.NextDouble() * 50);
            var target = start + 10 + Round(_random.NextDouble() * 90);
            return new Metric(MetricDirection.Increase, start, target, CurrentFor(start, target, ended), unit);
        }

        if (kind < 0.7)
        {
            var start = 50 + Round(_random.NextDouble() * 50);
            var target = start - 5 - Round(_random.NextDouble() * 40);
            return new Metric(MetricDirection.Decrease, start, target, CurrentFor(start, target, ended), unit);
        }

        if (kind < 0.8)
        {
            var target = 90 + Round(_random.NextDouble() * 10);
            return new Metric(MetricDirection.AtLeast, 0, target, HasCurrent() ? Round(target - 8 + (_random.NextDouble() * 12)) : null, unit);
        }

        if (kind < 0.85)
        {
            var target = 5 + Round(_random.NextDouble() * 10);
            return new Metric(MetricDirection.AtMost, 0, target, HasCurrent() ? Round(target - 4 + (_random.NextDouble() * 6)) : null, unit);
        }

        return new Metric(MetricDirection.Milestone, 0, null, HasCurrent() ? (_random.NextDouble() < Progress(ended) ? 1 : 0) : null);
    }

    /// <summary>A checked-in value between start and target (sometimes past it), or none yet.</summary>
    private double? CurrentFor(double start, double target, bool ended) =>
        HasCurrent() ? Round(start + (Progress(ended) * (target - start))) : null;

    private bool HasCurrent() => _random.NextDouble() < 0.85;

    /// <summary>Progress of a goal: quarters that have ended mostly finished; running ones spread out.</summary>
    private double Progress(bool ended) => ended ? 0.7 + (_random.NextDouble() * 0.4) : _random.NextDouble() * 1.15;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static string OpexKey(int department) => $"opex-D{department}";

    private static double Round(double value) => Math.Round(value, 2);
}

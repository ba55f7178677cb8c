using AlignmentEngine.Core.Rules;

namespace AlignmentEngine.Core;

public sealed partial class AlignmentGraph
{
    private string[]? _sortedIds;

    /// <summary>Every goal's result at <paramref name="asOf"/> sorted by id, and every finding in the spec's order.</summary>
    public RollupReport Rollup(DateOnly asOf)
    {
        var goals = new List<GoalResult>(_count);
        foreach (var id in SortedIds()) goals.Add(Result(_index[id], asOf));
        return new RollupReport(asOf, true, goals, Analyze(asOf));
    }

    /// <summary>One goal's result at <paramref name="asOf"/>, or null when there is no such goal.</summary>
    public GoalResult? GetResult(string id, DateOnly asOf) =>
        _index.TryGetValue(id, out var i) ? Result(i, asOf) : null;

    /// <summary>The goal as a caller would state it now (check-ins included), or null.</summary>
    public GoalDefinition? GetDefinition(string id) =>
        _index.TryGetValue(id, out var i) ? Definition(i) : null;

    /// <summary>Every goal id, sorted ordinally.</summary>
    public IReadOnlyList<string> AllIds => SortedIds();

    /// <summary>The goal's state, or null for an unknown id (no definition is built: cheap enough to filter on).</summary>
    public GoalState? StateOf(string id) => _index.TryGetValue(id, out var i) ? _state[i] : null;

    /// <summary>The goal's owner, or null for none or an unknown id.</summary>
    public string? OwnerOf(string id) => _index.TryGetValue(id, out var i) ? _strings[_owner[i]] : null;

    /// <summary>The ids of the goals aligned directly to <paramref name="id"/>, sorted; empty for an unknown id.</summary>
    public IReadOnlyList<string> ChildrenOf(string id)
    {
        if (!_index.TryGetValue(id, out var i)) return [];
        var ids = new List<string>();
        foreach (var e in _childEdges.Items(i)) ids.Add(_id[_edgeChild[e]]!);
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>The whole graph as a goal tree: goals sorted by id, with the graph's periods and settings.</summary>
    public GoalTree Export() => new()
    {
        Goals = [.. SortedIds().Select(id => Definition(_index[id]))],
        Periods = Periods,
        DefaultPeriod = DefaultPeriodRef,
        Settings = Settings,
    };

    private GoalResult Result(int i, DateOnly asOf)
    {
        var period = ResolvedPeriod(i);
        return new GoalResult(
            _id[i]!,
            _value[i],
            _attainment[i],
            period is { } p ? PaceRules.Expected(p, asOf) : null,
            PaceRules.Health(IsCounted(i), period, _value[i], asOf, Settings),
            IsCounted(i),
            _resLevel[i] == NoLevel ? null : (GoalLevel)_resLevel[i],
            period);
    }

    private GoalSnapshot Snapshot(int i, DateOnly asOf) =>
        new(_value[i], PaceRules.Health(IsCounted(i), ResolvedPeriod(i), _value[i], asOf, Settings));

    private GoalDefinition Definition(int i)
    {
        var links = new List<ParentLink>(_parentEdges.Count(i));
        foreach (var e in _parentEdges.Items(i))
        {
            links.Add(new ParentLink(_id[_edgeParent[e]]!, EdgeWeight(e), _edgeContributes[e]));
        }

        return new GoalDefinition(_id[i]!, _type[i])
        {
            Level = _ownLevel[i] == NoLevel ? null : (GoalLevel)_ownLevel[i],
            Title = _title[i],
            Owner = _strings[_owner[i]],
            Tags = TagsOf(i) ?? [],
            State = _state[i],
            Period = _strings[_periodName[i]] is { } name ? PeriodRef.Named(name) : OwnPeriod(i) is { } own ? PeriodRef.Of(own) : null,
            Metric = HasMetric(i)
                ? new Metric(
                    (MetricDirection)_direction[i],
                    _mStart[i],
                    double.IsNaN(_mTarget[i]) ? null : _mTarget[i],
                    double.IsNaN(_mCurrent[i]) ? null : _mCurrent[i],
                    _strings[_unit[i]],
                    _strings[_key[i]],
                    _aggregates[i] ? MetricAggregate.Sum : MetricAggregate.None)
                : null,
            ProgressOverride = double.IsNaN(_override[i]) ? null : _override[i],
            Parents = links,
        };
    }

    private string[] SortedIds()
    {
        if (_sortedIds is null)
        {
            var ids = new string[_count];
            var k = 0;
            for (var i = 0; i < _nodeEnd; i++)
            {
                if (_id[i] is { } id) ids[k++] = id;
            }

            Array.Sort(ids, StringComparer.Ordinal);
            _sortedIds = ids;
        }

        return _sortedIds;
    }
}

using AlignmentEngine.Core.Rules;
using AlignmentEngine.Core.Validation;

namespace AlignmentEngine.Core;

/// <summary>
/// Change sets. Operations are applied in order inside a transaction; the first one that would make the tree
/// invalid (or names something missing) stops the set, and everything is rolled back. Otherwise the touched
/// nodes are propagated and the result is read off what the transaction saved.
/// </summary>
public sealed partial class AlignmentGraph
{
    // Reused by every change set (an accepted one, the common case, leaves them empty): copied into a refusal.
    private readonly List<Finding> _operationErrors = [];
    private readonly List<MissingTarget> _missingTargets = [];

    /// <summary>Applies <paramref name="changes"/> all or nothing; health in the result is judged at <paramref name="asOf"/>.</summary>
    public ChangeResult Apply(IReadOnlyList<GoalChange> changes, DateOnly asOf) => Run(changes, asOf, commit: true, beforeCommit: null);

    /// <summary>
    /// Applies <paramref name="changes"/>, calling <paramref name="beforeCommit"/> with the accepted result while the
    /// change can still be undone: when it throws (a store that could not commit), the graph is rolled back and
    /// the exception passes on. This is how a durable store commits first and the graph follows.
    /// </summary>
    public ChangeResult Apply(IReadOnlyList<GoalChange> changes, DateOnly asOf, Action<ChangeResult> beforeCommit)
    {
        ArgumentNullException.ThrowIfNull(beforeCommit);
        return Run(changes, asOf, commit: true, beforeCommit);
    }

    /// <summary>The same answer as <see cref="Apply(IReadOnlyList{GoalChange}, DateOnly)"/>, with the graph left exactly as it was.</summary>
    public ChangeResult Simulate(IReadOnlyList<GoalChange> changes, DateOnly asOf) => Run(changes, asOf, commit: false, beforeCommit: null);

    private ChangeResult Run(IReadOnlyList<GoalChange> changes, DateOnly asOf, bool commit, Action<ChangeResult>? beforeCommit)
    {
        ArgumentNullException.ThrowIfNull(changes);
        BeginTransaction(asOf);
        try
        {
            var (errors, missing) = (_operationErrors, _missingTargets);
            errors.Clear();
            missing.Clear();
            var membershipChanged = false;
            for (var k = 0; k < changes.Count; k++)
            {
                membershipChanged |= changes[k] is UpsertGoal or RemoveGoal;
                ApplyOne(k, changes[k], errors, missing);
                if (errors.Count > 0 || missing.Count > 0)
                {
                    Rollback();
                    errors.Sort();
                    return ChangeResult.Rejected(k, [.. errors], [.. missing]);
                }
            }

            Propagate();
            var result = Collect(asOf);
            if (commit && beforeCommit is not null) beforeCommit(result);
            if (commit)
            {
                if (membershipChanged) _sortedIds = null;
                EndTransaction();
            }
            else
            {
                Rollback();
            }

            return result;
        }
        catch
        {
            Rollback();
            throw;
        }
    }

    private void ApplyOne(int k, GoalChange change, List<Finding> errors, List<MissingTarget> missing)
    {
        switch (change)
        {
            case UpsertGoal upsert:
                Upsert(upsert.Goal, errors);
                break;
            case RemoveGoal remove when Find(k, remove.Id, missing) is { } i:
                Remove(i, errors);
                break;
            case SetState set when Find(k, set.Id, missing) is { } i:
                if (_state[i] == set.State) break;
                BeforeFindingChange(i);
                _state[i] = set.State;
                SignParentEdges(i);
                _downSeeds.Add(i);
                SeedParentsUp(i);
                break;
            case AddEdge add when Find(k, add.ChildId, missing) is { } child:
                if (!_index.TryGetValue(add.Link.ParentId, out var parent))
                {
                    errors.Add(DefinitionRules.UnknownParent(add.ChildId, add.Link.ParentId));
                }
                else if (FindEdge(child, parent) >= 0)
                {
                    errors.Add(DefinitionRules.DuplicateAlignment(add.ChildId, add.Link.ParentId));
                }
                else if (MetricRules.WeightProblem(add.Link.Weight) is { } weightProblem)
                {
                    errors.Add(DefinitionRules.InvalidWeight(add.ChildId, add.Link.ParentId, weightProblem));
                }
                else
                {
                    Link(child, parent, add.Link, errors);
                }

                break;
            case RemoveEdge remove when FindEdge(k, remove.ChildId, remove.ParentId, missing) is { } edge:
                Unlink(edge);
                break;
            case SetWeight set when FindEdge(k, set.ChildId, set.ParentId, missing) is { } edge:
                if (MetricRules.WeightProblem(set.Weight) is { } problem)
                {
                    errors.Add(DefinitionRules.InvalidWeight(set.ChildId, set.ParentId, problem));
                    break;
                }

                SaveEdge(edge);
                _edgeSignedWeight[edge] = Math.CopySign(set.Weight, _edgeSignedWeight[edge]);
                _upSeeds.Add(_edgeParent[edge]);
                break;
            case CheckIn checkIn when Find(k, checkIn.Id, missing) is { } i:
                if (MetricRules.CheckInProblem(HasMetric(i), (MetricDirection)_direction[i], _aggregates[i], checkIn.Value) is { } checkInProblem)
                {
                    errors.Add(new Finding(FindingCode.InvalidMetric, checkIn.Id, [], $"check-in on '{checkIn.Id}': {checkInProblem}"));
                    break;
                }

                SaveValues(i);
                _mCurrent[i] = checkIn.Value;
                _upSeeds.Add(i);
                break;
            case SetOverride set when Find(k, set.Id, missing) is { } i:
                if (MetricRules.Problem(null, set.Value) is { } overrideProblem)
                {
                    errors.Add(new Finding(FindingCode.InvalidMetric, set.Id, [], $"goal '{set.Id}': {overrideProblem}"));
                    break;
                }

                // Whether an override is set decides UNSUPPORTED_GOAL; its value alone decides no finding.
                if (double.IsNaN(_override[i]) != set.Value is null) BeforeFindingChange(i);
                SaveValues(i);
                _override[i] = set.Value ?? double.NaN;
                _upSeeds.Add(i);
                break;
        }
    }

    private int? Find(int operation, string id, List<MissingTarget> missing)
    {
        if (_index.TryGetValue(id, out var i)) return i;
        missing.Add(new MissingTarget(operation, id, $"there is no goal '{id}'"));
        return null;
    }

    private int? FindEdge(int operation, string childId, string parentId, List<MissingTarget> missing)
    {
        if (Find(operation, childId, missing) is not { } child) return null;
        if (_index.TryGetValue(parentId, out var parent) && FindEdge(child, parent) is var e and >= 0) return e;
        missing.Add(new MissingTarget(operation, childId, $"goal '{childId}' is not aligned to '{parentId}'"));
        return null;
    }

    private int FindEdge(int child, int parent)
    {
        foreach (var e in _parentEdges.Items(child))
        {
            if (_edgeParent[e] == parent) return e;
        }

        return -1;
    }

    private void Upsert(GoalDefinition goal, List<Finding> errors)
    {
        if (GoalIds.Problem(goal.Id) is { } idProblem) throw new ArgumentException(idProblem, nameof(goal));
        DefinitionRules.Check(goal, Periods, errors);
        foreach (var link in goal.Parents)
        {
            if (link.ParentId != goal.Id && !_index.ContainsKey(link.ParentId)) errors.Add(DefinitionRules.UnknownParent(goal.Id, link.ParentId));
        }

        if (errors.Count > 0) return;
        var exists = _index.TryGetValue(goal.Id, out var i);
        if (!exists) i = AllocateNode();
        BeforeFindingChange(i);
        AssignDefinition(i, goal);
        SignParentEdges(i);
        _downSeeds.Add(i);
        _upSeeds.Add(i);
        SeedParentsUp(i);
        if (SameLinks(i, goal.Parents)) return;

        for (var n = _parentEdges.Count(i); n > 0; n--) Unlink(_parentEdges[i, n - 1]);
        foreach (var link in goal.Parents)
        {
            if (!Link(i, _index[link.ParentId], link, errors)) return;
        }
    }

    private bool SameLinks(int i, IReadOnlyList<ParentLink> links)
    {
        var edges = _parentEdges.Items(i);
        if (edges.Length != links.Count) return false;
        for (var k = 0; k < edges.Length; k++)
        {
            var e = edges[k];
            if (_id[_edgeParent[e]] != links[k].ParentId || !EdgeWeight(e).Equals(links[k].Weight) || _edgeContributes[e] != links[k].Contributes) return false;
        }

        return true;
    }

    private void Remove(int i, List<Finding> errors)
    {
        foreach (var e in _childEdges.Items(i))
        {
            var child = _edgeChild[e];
            errors.Add(new Finding(FindingCode.UnknownParent, _id[child]!, [_id[i]!],
                $"removing '{_id[i]}' would leave '{_id[child]}' aligned to a goal that does not exist: remove or move that edge first"));
        }

        if (errors.Count > 0) return;
        BeforeFindingChange(i);
        for (var n = _parentEdges.Count(i); n > 0; n--) Unlink(_parentEdges[i, n - 1]);
        TakeGroupFindingsBefore(_key[i], _owner[i]);
        Save(i);
        _keyMembers.Move(i, _key[i], -1);
        _ownerMembers.Move(i, _owner[i], -1);
        SetTags(i, null);
        _index.Remove(_id[i]!);
        _id[i] = null;
        SaveFreeLists();
        _freeNodes.Push(i);
        _count--;
    }

    private int AllocateNode()
    {
        SaveFreeLists();
        int i;
        if (_freeNodes.Count > 0)
        {
            i = _freeNodes.Pop();
        }
        else
        {
            EnsureNodeCapacity(_nodeEnd + 1);
            i = _nodeEnd++;
        }

        Save(i);
        _rank[i] = 0;
        _count++;
        return i;
    }

    /// <summary>Adds the edge child → parent unless it would close a cycle (then an error, and nothing changes).</summary>
    private bool Link(int child, int parent, ParentLink link, List<Finding> errors)
    {
        if (CycleThrough(child, parent) is { } cycle)
        {
            errors.Add(DefinitionRules.Cycle([.. cycle.Select(n => _id[n]!).Order(StringComparer.Ordinal)]));
            return false;
        }

        BeforeEdgeChange(child, parent);
        SaveFreeLists();
        int e;
        if (_freeEdges.Count > 0)
        {
            e = _freeEdges.Pop();
        }
        else
        {
            EnsureEdgeCapacity(_edgeEnd + 1);
            e = _edgeEnd++;
        }

        SaveEdge(e);
        _edgeParent[e] = parent;
        _edgeChild[e] = child;
        _edgeSignedWeight[e] = SignedWeight(link.Weight, link.Contributes, IsCounted(child));
        _edgeContributes[e] = link.Contributes;
        _parentEdges.Add(child, e);
        _childEdges.Add(parent, e);
        if (_rank[child] <= _rank[parent]) RaiseRank(child, _rank[parent] + 1);
        _downSeeds.Add(child);
        _upSeeds.Add(parent);
        return true;
    }

    private void Unlink(int e)
    {
        var child = _edgeChild[e];
        var parent = _edgeParent[e];
        BeforeEdgeChange(child, parent);
        _parentEdges.RemoveAt(child, _parentEdges.IndexOf(child, e));
        _childEdges.RemoveAt(parent, _childEdges.IndexOf(parent, e));
        SaveEdge(e);
        _edgeChild[e] = -1;
        SaveFreeLists();
        _freeEdges.Push(e);
        _downSeeds.Add(child);
        _upSeeds.Add(parent);
    }

    /// <summary>
    /// An edge changes the findings and the saved rows of its two ends only: the child's anchoring and periods,
    /// which can reach further, are recomputed (and their findings taken) by propagation.
    /// </summary>
    private void BeforeEdgeChange(int child, int parent)
    {
        TakeFindingsBefore(child);
        TakeFindingsBefore(parent);
        Save(child);
        Save(parent);
        SaveLists(child);
        SaveLists(parent);
    }

    /// <summary>
    /// The goals of the cycle that an edge child → parent would close, or null. Ranks grow along every edge, so
    /// only descendants of the child ranked below the parent can lead to it: the search stays near the edge.
    /// </summary>
    private HashSet<int>? CycleThrough(int child, int parent)
    {
        if (child == parent) return [child];
        if (_rank[child] >= _rank[parent]) return null;
        var reached = new HashSet<int> { child };
        var stack = new Stack<int>();
        stack.Push(child);
        var found = false;
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            foreach (var e in _childEdges.Items(v))
            {
                var w = _edgeChild[e];
                if (w == parent) found = true;
                if (w != parent && _rank[w] >= _rank[parent]) continue;
                if (reached.Add(w)) stack.Push(w);
            }
        }

        if (!found) return null;

        // The cycle's members: the reached goals from which the parent can be reached (walk up from it).
        var members = new HashSet<int> { parent };
        stack.Push(parent);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            foreach (var e in _parentEdges.Items(v))
            {
                var u = _edgeParent[e];
                if (reached.Contains(u) && members.Add(u)) stack.Push(u);
            }
        }

        members.Add(child);
        return members;
    }

    private void RaiseRank(int node, int rank)
    {
        Save(node);
        _rank[node] = rank;
        var stack = new Stack<int>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            foreach (var e in _childEdges.Items(v))
            {
                var w = _edgeChild[e];
                if (_rank[w] > _rank[v]) continue;
                Save(w);
                _rank[w] = _rank[v] + 1;
                stack.Push(w);
            }
        }
    }

    private ChangeResult Collect(DateOnly asOf)
    {
        var deltas = GoalDeltas(asOf);

        // Check-ins, weights and overrides move values only: no finding can have changed.
        if (_findingScope.Count == 0 && _touchedKeys.Count == 0 && _touchedOwners.Count == 0 && _savedAnchoring.Count == 0)
        {
            return new ChangeResult(true, [], [], deltas, [], []);
        }

        var after = new List<Finding>();
        foreach (var node in _findingScope)
        {
            if (IsAlive(node)) AddNodeFindings(node, after);
        }

        foreach (var key in _touchedKeys) AddKeyFindings(key, after);
        foreach (var owner in _touchedOwners) AddOwnerFindings(owner, asOf, after);
        var appeared = Difference(after, _beforeFindings);
        var disappeared = Difference(_beforeFindings, after);
        return new ChangeResult(true, [], [], deltas, WithReanchored(appeared, wasAnchored: true), WithReanchored(disappeared, wasAnchored: false));
    }

    /// <summary>
    /// <paramref name="diffed"/> plus the ORPHANED_GOAL findings of goals whose anchoring alone changed (from
    /// <paramref name="wasAnchored"/>) and whose findings were not taken: nothing else of theirs or their
    /// neighbours' changed, so their state and parents are as they were and that one finding is all that differs.
    /// With a parent neither excluded nor removed, their message names their counted parents, which are kept
    /// (not the message) until the result is read.
    /// </summary>
    private IReadOnlyList<Finding> WithReanchored(List<Finding> diffed, bool wasAnchored)
    {
        List<string>? goals = null, through = null;
        List<int>? throughStart = null;
        var resort = false;
        for (var k = 0; k < _savedAnchoring.Count; k++)
        {
            var (node, anchored) = _savedAnchoring[k];
            if (!IsReanchoredOutsideScope(node, anchored, wasAnchored)) continue;

            var parents = _parentEdges.Items(node);
            if (!AnyCountedParent(parents))
            {
                // Not reached (such a goal's anchoring cannot flip alone), but written in full all the same.
                diffed.Add(Orphan(node));
                resort = true;
                continue;
            }

            // Sized at the first goal by the saved flags still to come: a bound, so no counting pass over every flag
            // is needed first, and lists of hundreds of thousands are allocated once, not grown. A few percent of
            // goals have a second counted parent.
            var bound = _savedAnchoring.Count - k;
            goals ??= new List<string>(bound);
            throughStart ??= new List<int>(bound + 1);
            through ??= new List<string>(bound + (bound / 16));
            goals.Add(_id[node]!);
            throughStart.Add(through.Count);
            foreach (var e in parents)
            {
                if (IsCounted(_edgeParent[e])) through.Add(_id[_edgeParent[e]]!);
            }
        }

        if (resort) diffed.Sort();
        if (goals is null || throughStart is null || through is null) return diffed;
        throughStart.Add(through.Count);
        return new DeferredOrphanFindings(diffed, goals, throughStart, through);
    }

    private bool IsReanchoredOutsideScope(int node, bool anchored, bool wasAnchored) =>
        anchored == wasAnchored && _anchored[node] != anchored && !TouchedBy(node, Touch.Findings) && IsCounted(node);

    private List<GoalDelta> GoalDeltas(DateOnly asOf)
    {
        var deltas = new List<GoalDelta>(_savedRows.Count + _savedValues.Count);
        foreach (var saved in _savedValues)
        {
            // A goal whose row was saved too is reported from its row: values (unlike current and override) are
            // written only by propagation's upward pass, after every row is saved, so that row holds them as they were.
            var i = saved.Node;
            if (TouchedBy(i, Touch.Row)) continue;

            // Only values moved, so state and resolved period are the same before and after.
            if (saved.Value.Equals(_value[i])) continue;
            var (counted, period) = (IsCounted(i), ResolvedPeriod(i));
            var expected = period is { } p ? PaceRules.Expected(p, asOf) : 0;
            deltas.Add(new GoalDelta(
                _id[i]!,
                new GoalSnapshot(saved.Value, PaceRules.Health(counted, period, saved.Value, expected, asOf, Settings)),
                new GoalSnapshot(_value[i], PaceRules.Health(counted, period, _value[i], expected, asOf, Settings))));
        }

        foreach (var (node, row) in _savedRows)
        {
            GoalSnapshot? before = row.Id is null ? null : SnapshotOf(row, asOf);
            GoalSnapshot? now = IsAlive(node) ? Snapshot(node, asOf) : null;
            if (row.Id is not null && IsAlive(node) && row.Id != _id[node])
            {
                // The slot of a removed goal was reused by a new one in the same change set.
                deltas.Add(new GoalDelta(row.Id, before, null));
                deltas.Add(new GoalDelta(_id[node]!, null, now));
            }
            else if (before != now)
            {
                deltas.Add(new GoalDelta(row.Id ?? _id[node]!, before, now));
            }
        }

        deltas.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return deltas;
    }

    private GoalSnapshot SnapshotOf(in NodeRow row, DateOnly asOf)
    {
        Period? period = row.ResStart == NoDay ? null : new Period(DateOnly.FromDayNumber(row.ResStart), DateOnly.FromDayNumber(row.ResEnd));
        return new GoalSnapshot(row.Value, PaceRules.Health(row.State.IsCounted(), period, row.Value, asOf, Settings));
    }

    /// <summary>Findings in <paramref name="from"/> not matched one for one in <paramref name="minus"/>, sorted.</summary>
    private static List<Finding> Difference(List<Finding> from, List<Finding> minus)
    {
        if (minus.Count == 0)
        {
            var all = new List<Finding>(from);
            all.Sort();
            return all;
        }

        var counts = new Dictionary<Finding, int>(minus.Count);
        foreach (var f in minus) counts[f] = counts.GetValueOrDefault(f) + 1;
        var result = new List<Finding>();
        foreach (var f in from)
        {
            if (counts.TryGetValue(f, out var n) && n > 0)
            {
                counts[f] = n - 1;
            }
            else
            {
                result.Add(f);
            }
        }

        result.Sort();
        return result;
    }
}

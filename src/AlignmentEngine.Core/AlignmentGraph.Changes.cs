using AlignmentEngine.Core.Graph;
using AlignmentEngine.Core.Rules;
using AlignmentEngine.Core.Validation;

namespace AlignmentEngine.Core;

/// <summary>
/// Change sets. Operations are applied in order inside a transaction; the first one that would make the tree
/// invalid (or names something missing) stops the set, and everything is rolled back. Otherwise the touched
/// nodes are propagated, the result is read off what the transaction saved, and the change stays staged until
/// it is committed or undone.
/// </summary>
public sealed partial class AlignmentGraph
{
    // Reused by every change set (an accepted one, the common case, leaves them empty): copied into a refusal.
    private readonly List<Finding> _operationErrors = [];
    private readonly List<MissingTarget> _missingTargets = [];

    // Up to this many deltas are sorted as strings; more on their packed ids (InIdOrder).
    private const int FewDeltas = 64;

    // From this many deltas on their ranks, a radix sort (RadixSort); below it a comparison sort, since each radix pass
    // clears and sums 2,048 digit counters whatever the count.
    private const int ManyDeltas = 1024;

    // A result with at least one delta per this many goals ranks every id first, when the ranks are stale (InIdOrder).
    private const int RankingShare = 32;

    // Reused by every change result: each delta as it is found and, to sort them by id, each one's id rank with its
    // position.
    private FoundDelta[] _foundDeltas = new FoundDelta[16];
    private long[] _deltaKeys = new long[16];
    private long[] _deltaKeyScratch = [];

    // The change set staged and neither committed nor undone yet, if any.
    private StagedChange? _staged;

    /// <summary>Applies <paramref name="changes"/> all or nothing; health in the result is judged at <paramref name="asOf"/>.</summary>
    public ChangeResult Apply(IReadOnlyList<GoalChange> changes, DateOnly asOf)
    {
        var result = Run(changes, asOf, out var membershipChanged);
        if (result.Accepted) Keep(membershipChanged);
        return result;
    }

    /// <summary>The same answer as <see cref="Apply(IReadOnlyList{GoalChange}, DateOnly)"/>, with the graph left exactly as it was.</summary>
    public ChangeResult Simulate(IReadOnlyList<GoalChange> changes, DateOnly asOf)
    {
        var result = Run(changes, asOf, out _);
        if (result.Accepted) Rollback();
        return result;
    }

    /// <summary>
    /// Applies <paramref name="changes"/> and holds them open: the graph reads as changed (a store can read the new
    /// definitions), and the change is kept by <see cref="StagedChange.Commit"/> or undone, bit for bit, when the
    /// staged change is disposed without it. A refused change set comes back already undone. This is how a durable
    /// store commits first and the graph follows, with no callback between them:
    /// <code>
    /// using var staged = graph.Stage(changes, asOf);
    /// if (staged.Result.Accepted) { store.Append(...); staged.Commit(); }
    /// </code>
    /// Until the staged change is committed or disposed, the graph takes no other change.
    /// </summary>
    public StagedChange Stage(IReadOnlyList<GoalChange> changes, DateOnly asOf)
    {
        var result = Run(changes, asOf, out var membershipChanged);
        if (!result.Accepted) return StagedChange.Refused(this, changes, asOf, result);
        _staged = new StagedChange(this, changes, asOf, result, membershipChanged);
        return _staged;
    }

    /// <summary>Keeps the open staged change (called by <see cref="StagedChange.Commit"/>).</summary>
    internal void CommitStaged(StagedChange staged)
    {
        if (!ReferenceEquals(staged, _staged)) throw new InvalidOperationException("this staged change is not open on this graph");
        _staged = null;
        Keep(staged.MembershipChanged);
    }

    /// <summary>Undoes the open staged change (called by <see cref="StagedChange.Dispose"/> without a commit).</summary>
    internal void RollBackStaged(StagedChange staged)
    {
        if (!ReferenceEquals(staged, _staged)) return;
        _staged = null;
        Rollback();
    }

    /// <summary>
    /// Runs a change set. A refused one is undone before its result returns; an accepted one is left open, for the
    /// caller to keep (<see cref="Keep"/>) or undo (<see cref="Rollback"/>).
    /// </summary>
    private ChangeResult Run(IReadOnlyList<GoalChange> changes, DateOnly asOf, out bool membershipChanged)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (_staged is not null) throw new InvalidOperationException("a staged change is still open: commit or dispose it first");
        BeginTransaction(asOf);
        membershipChanged = false;
        try
        {
            var (errors, missing) = (_operationErrors, _missingTargets);
            errors.Clear();
            missing.Clear();
            var lookahead = changes.Count >= LookaheadFrom;
            for (var k = 0; k < changes.Count; k++)
            {
                if (lookahead) PrefetchOperations(changes, k);
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
            return Collect(asOf, membershipChanged);
        }
        catch
        {
            Rollback();
            throw;
        }
    }

    private void Keep(bool membershipChanged)
    {
        if (membershipChanged)
        {
            _sortedIds = null;
            _idOrder.Invalidate();
        }

        EndTransaction();
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
                if (_nodes.State[i] == set.State) break;
                BeforeFindingChange(i);
                _journal.SetState(i, set.State);
                SignParentEdges(i);
                MarkTermsChanged(i);
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

                _journal.SetEdgeWeight(edge, Math.CopySign(set.Weight, _edges.SignedWeight[edge]));
                MarkTermChanged(_edges.Parent[edge], edge);
                _upSeeds.Add(_edges.Parent[edge]);
                break;
            case CheckIn checkIn when Find(k, checkIn.Id, missing) is { } i:
                if (MetricRules.CheckInProblem(HasMetric(i), (MetricDirection)_nodes.Direction[i], _nodes.Aggregates[i], checkIn.Value) is { } checkInProblem)
                {
                    errors.Add(new Finding(FindingCode.InvalidMetric, checkIn.Id, [], $"check-in on '{checkIn.Id}': {checkInProblem}"));
                    break;
                }

                _journal.SetCurrent(i, checkIn.Value);
                _upSeeds.Add(i);
                break;
            case SetOverride set when Find(k, set.Id, missing) is { } i:
                if (MetricRules.Problem(null, set.Value) is { } overrideProblem)
                {
                    errors.Add(new Finding(FindingCode.InvalidMetric, set.Id, [], $"goal '{set.Id}': {overrideProblem}"));
                    break;
                }

                // Whether an override is set decides UNSUPPORTED_GOAL; its value alone decides no finding.
                if (double.IsNaN(_nodes.Progress[i].Override) != set.Value is null) BeforeFindingChange(i);
                _journal.SetOverride(i, set.Value ?? double.NaN);
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
            if (_edges.Parent[e] == parent) return e;
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
        MarkTermsChanged(i); // its metric decides whether it is summing
        _groupSums.Forget(i); // its own metric and unit decide what its children's terms are
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
            if (_nodes.Id[_edges.Parent[e]] != links[k].ParentId || !EdgeWeight(e).Equals(links[k].Weight) || _edges.Contributes[e] != links[k].Contributes) return false;
        }

        return true;
    }

    private void Remove(int i, List<Finding> errors)
    {
        foreach (var e in _childEdges.Items(i))
        {
            var child = _edges.Child[e];
            errors.Add(new Finding(FindingCode.UnknownParent, _nodes.Id[child]!, [_nodes.Id[i]!],
                $"removing '{_nodes.Id[i]}' would leave '{_nodes.Id[child]}' aligned to a goal that does not exist: remove or move that edge first"));
        }

        if (errors.Count > 0) return;
        BeforeFindingChange(i);
        for (var n = _parentEdges.Count(i); n > 0; n--) Unlink(_parentEdges[i, n - 1]);
        TakeGroupFindingsBefore(_nodes.Key[i], _nodes.Owner[i]);
        var nodes = _journal.EditRow(i);
        _keyMembers.Move(i, nodes.Key[i], -1);
        _ownerMembers.Move(i, nodes.Owner[i], -1);
        SetTags(i, null);
        _index.Remove(nodes.Id[i]!);
        if (nodes.OwnIds()) _index.Keys = nodes.Id;
        nodes.Id[i] = null;
        _journal.SaveFreeLists();
        _nodes.Free.Push(i);
        _nodes.Count--;
        _groupSums.Forget(i);
    }

    private int AllocateNode()
    {
        _journal.SaveFreeLists();
        int i;
        if (_nodes.Free.Count > 0)
        {
            i = _nodes.Free.Pop();
        }
        else
        {
            EnsureNodeCapacity(_nodes.End + 1);
            i = _nodes.End++;
        }

        _journal.SetRank(i, 0);
        _nodes.Count++;
        return i;
    }

    /// <summary>Adds the edge child → parent unless it would close a cycle (then an error, and nothing changes).</summary>
    private bool Link(int child, int parent, ParentLink link, List<Finding> errors)
    {
        if (CycleThrough(child, parent) is { } cycle)
        {
            errors.Add(DefinitionRules.Cycle([.. cycle.Select(n => _nodes.Id[n]!).Order(StringComparer.Ordinal)]));
            return false;
        }

        BeforeEdgeChange(child, parent);
        _journal.SaveFreeLists();
        int e;
        if (_edges.Free.Count > 0)
        {
            e = _edges.Free.Pop();
        }
        else
        {
            _edges.EnsureCapacity(_edges.End + 1);
            e = _edges.End++;
        }

        _journal.SetEdge(e, new EdgeRow(parent, child, SignedWeight(link.Weight, link.Contributes, IsCounted(child)), link.Contributes));
        _parentEdges.Add(child, e);
        _childEdges.Add(parent, e);
        _groupSums.Forget(parent); // positions changed
        if (_nodes.Rank[child] <= _nodes.Rank[parent]) RaiseRank(child, _nodes.Rank[parent] + 1);
        _downSeeds.Add(child);
        _upSeeds.Add(parent);
        return true;
    }

    private void Unlink(int e)
    {
        var child = _edges.Child[e];
        var parent = _edges.Parent[e];
        BeforeEdgeChange(child, parent);
        _parentEdges.RemoveAt(child, _parentEdges.IndexOf(child, e));
        _childEdges.RemoveAt(parent, _childEdges.IndexOf(parent, e));
        _groupSums.Forget(parent); // positions changed
        _journal.SetEdge(e, _edges.Read(e) with { Child = -1 });
        _journal.SaveFreeLists();
        _edges.Free.Push(e);
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
        _journal.SaveRow(child);
        _journal.SaveRow(parent);
        _journal.SaveLists(child);
        _journal.SaveLists(parent);
    }

    /// <summary>
    /// The goals of the cycle that an edge child → parent would close, or null. Ranks grow along every edge, so
    /// only descendants of the child ranked below the parent can lead to it: the search stays near the edge.
    /// </summary>
    private HashSet<int>? CycleThrough(int child, int parent)
    {
        if (child == parent) return [child];
        if (_nodes.Rank[child] >= _nodes.Rank[parent]) return null;
        var reached = new HashSet<int> { child };
        var stack = new Stack<int>();
        stack.Push(child);
        var found = false;
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            foreach (var e in _childEdges.Items(v))
            {
                var w = _edges.Child[e];
                if (w == parent) found = true;
                if (w != parent && _nodes.Rank[w] >= _nodes.Rank[parent]) continue;
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
                var u = _edges.Parent[e];
                if (reached.Contains(u) && members.Add(u)) stack.Push(u);
            }
        }

        members.Add(child);
        return members;
    }

    private void RaiseRank(int node, int rank)
    {
        _journal.SetRank(node, rank);
        var stack = new Stack<int>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            foreach (var e in _childEdges.Items(v))
            {
                var w = _edges.Child[e];
                if (_nodes.Rank[w] > _nodes.Rank[v]) continue;
                _journal.SetRank(w, _nodes.Rank[v] + 1);
                stack.Push(w);
            }
        }
    }

    private ChangeResult Collect(DateOnly asOf, bool membershipChanged)
    {
        var deltas = GoalDeltas(asOf, membershipChanged);

        // Check-ins, weights and overrides move values only: no finding can have changed.
        if (_findingScope.Count == 0 && _touchedKeys.Count == 0 && _touchedOwners.Count == 0 && _journal.SavedAnchoring.IsEmpty)
        {
            return new ChangeResult(true, [], [], deltas, [], []);
        }

        var after = new List<Finding>();
        foreach (var node in _findingScope)
        {
            if (IsAlive(node)) _findings.AddNodeFindings(node, _nodes.Anchored[node], after);
        }

        foreach (var key in _touchedKeys) _findings.AddKeyFindings(key, after);
        foreach (var owner in _touchedOwners) _findings.AddOwnerFindings(owner, asOf, after);
        var appeared = Difference(after, _beforeFindings);
        var disappeared = Difference(_beforeFindings, after);
        return new ChangeResult(true, [], [], deltas, WithReanchored(appeared, wasAnchored: true), WithReanchored(disappeared, wasAnchored: false));
    }

    /// <summary>
    /// <paramref name="diffed"/> plus the ORPHANED_GOAL findings of goals whose anchoring alone changed (from
    /// <paramref name="wasAnchored"/>) and whose findings were not taken: nothing else of theirs or their
    /// neighbours' changed, so their state and parents are as they were and that one finding is all that differs.
    /// With a parent neither excluded nor removed, their message names their counted parents: the goals and those
    /// parents are kept as node indices, with the id column shared as it is now (<see cref="NodeTable.ShareIds"/>),
    /// and written when the result is read.
    /// </summary>
    private IReadOnlyList<Finding> WithReanchored(List<Finding> diffed, bool wasAnchored)
    {
        ChunkedInts? goals = null, throughStart = null, through = null;
        var resort = false;
        var savedAnchoring = _journal.SavedAnchoring;
        for (var k = 0; k < savedAnchoring.Length; k++)
        {
            var (node, anchored, onlyParent) = savedAnchoring[k];
            if (!IsReanchoredOutsideScope(node, anchored, wasAnchored)) continue;

            // Bounded by the saved flags still to come, so no counting pass over every flag is needed first. A few
            // percent of goals have a second counted parent.
            var bound = savedAnchoring.Length - k;
            goals ??= new ChunkedInts();
            throughStart ??= new ChunkedInts();
            through ??= new ChunkedInts();
            var first = through.Count;
            if (onlyParent >= 0)
            {
                // Passed down from its one parent, which the wave has just read: no need to read its lists again.
                if (IsCounted(onlyParent)) through.Add(onlyParent, bound + (bound / 16));
            }
            else
            {
                foreach (var e in _parentEdges.Items(node))
                {
                    var parent = _edges.Parent[e];
                    if (IsCounted(parent)) through.Add(parent, bound + (bound / 16));
                }
            }

            if (through.Count == first)
            {
                // No counted parent: not reached (such a goal's anchoring cannot flip alone), but written in full all the same.
                diffed.Add(_findings.Orphan(node));
                resort = true;
                continue;
            }

            goals.Add(node, bound);
            throughStart.Add(first, bound + 1);
        }

        if (resort) diffed.Sort();
        if (goals is null || throughStart is null || through is null || goals.Count == 0) return diffed;
        throughStart.Add(through.Count, 1);
        return new DeferredOrphanFindings(diffed, _nodes.ShareIds(), goals, throughStart, through);
    }

    private bool IsReanchoredOutsideScope(int node, bool anchored, bool wasAnchored) =>
        anchored == wasAnchored && _nodes.Anchored[node] != anchored && !_journal.TouchedBy(node, Touch.Findings) && IsCounted(node);

    /// <summary>
    /// Every goal whose value or health the change set moved, in id order. <paramref name="membershipChanged"/>: goals
    /// were added or removed, so the id order's ranks may not cover them.
    /// </summary>
    private GoalDeltaList GoalDeltas(DateOnly asOf, bool membershipChanged)
    {
        var savedValues = _journal.SavedValues;

        // A saved row gives two deltas when a removed goal's slot went to a new one.
        var most = savedValues.Length + (2 * _journal.SavedRowCount);
        if (_foundDeltas.Length < most) _foundDeltas = new FoundDelta[Math.Max(most, _foundDeltas.Length * 2)];
        var (found, count) = (_foundDeltas, 0);
        var pace = new ExpectedPace(asOf);
        var lookahead = savedValues.Length >= LookaheadFrom;
        for (var k = 0; k < savedValues.Length; k++)
        {
            if (lookahead) PrefetchValueDeltas(savedValues, k);
            ref readonly var values = ref savedValues[k];

            // A goal whose row was saved too is reported from its row: values (unlike current and override) are
            // written only by propagation's upward pass, after every row is saved, so that row holds them as they were.
            // A save by that pass itself holds the value it wrote, and no row can be saved after it.
            var i = values.Node;
            double after;
            if (values.ComputedOnly)
            {
                after = values.ValueAfter;
            }
            else
            {
                if (_journal.TouchedBy(i, Touch.Row)) continue;
                after = _nodes.Value[i];
            }

            // Only values moved, so state and resolved period are the same before and after.
            var before = values.Value;
            if (before.Equals(after)) continue;
            var (counted, (start, end)) = (IsCounted(i), _nodes.ResolvedDays[i]);
            var expected = pace.Of(start, end);
            found[count++] = new FoundDelta(i, FoundDelta.OwnId, new GoalDeltaList.SnapshotPair(
                before,
                PaceRules.Health(counted, start, before, expected, pace.AsOfDay, Settings),
                after,
                PaceRules.Health(counted, start, after, expected, pace.AsOfDay, Settings)));
        }

        var saved = _journal.SavedRows;
        for (var k = 0; k < _journal.SavedRowCount; k++)
        {
            var node = _journal.SavedRowNode(k);
            var savedId = saved.Id[k];
            GoalSnapshot? before = savedId is null ? null : SavedSnapshot(k, asOf);
            GoalSnapshot? now = IsAlive(node) ? Snapshot(node, asOf) : null;
            if (savedId is not null && IsAlive(node) && savedId != _nodes.Id[node])
            {
                // The slot of a removed goal was reused by a new one in the same change set.
                found[count++] = new FoundDelta(node, k, new(before, null));
                found[count++] = new FoundDelta(node, FoundDelta.OwnId, new(null, now));
            }
            else if (before != now)
            {
                found[count++] = new FoundDelta(node, savedId is null ? FoundDelta.OwnId : k, new(before, now));
            }
        }

        return InIdOrder(count, membershipChanged);
    }

    /// <summary>
    /// A delta as the change result finds it: its goal's node, where its id is read (the saved row of a goal removed
    /// or replaced, or the node's own id) and its snapshots. Holding no reference, a wave's tens of thousands are
    /// written and moved without the garbage collector's bookkeeping; the id is read once, into the result.
    /// </summary>
    private readonly record struct FoundDelta(int Node, int SavedRow, GoalDeltaList.SnapshotPair Snapshots)
    {
        /// <summary>The id is the node's own, as the graph holds it now.</summary>
        public const int OwnId = -1;
    }

    private string IdOf(in FoundDelta delta) => delta.SavedRow == FoundDelta.OwnId ? _nodes.Id[delta.Node]! : _journal.SavedRows.Id[delta.SavedRow]!;

    /// <summary>
    /// The <paramref name="count"/> found deltas in id order. While the ids' ranks (<see cref="IdOrder"/>) cover every
    /// goal of the result, they are sorted on their goals' ranks, ints read from one array; otherwise a few are sorted
    /// as strings, and a wave's tens of thousands on their packed ids (<see cref="OrdinalOrder"/>), so each id is read
    /// once rather than at every comparison. A result too large for that to be cheap beside ranking every id ranks
    /// them first.
    /// </summary>
    private GoalDeltaList InIdOrder(int count, bool membershipChanged)
    {
        var result = new GoalDeltaList(count);
        var found = _foundDeltas;
        if (count <= 1)
        {
            if (count == 1) result.Set(0, IdOf(found[0]), found[0].Snapshots);
            return result;
        }

        if (!membershipChanged && !_idOrder.IsCurrent && count >= _nodes.Count / RankingShare)
        {
            _idOrder.Rank(_nodes.Id, _nodes.End, _nodes.Count);
        }

        if (!membershipChanged && _idOrder.IsCurrent)
        {
            // Each delta's rank and position packed in one long: a sort of plain numbers, no delta moved.
            if (_deltaKeys.Length < count) _deltaKeys = new long[Math.Max(count, _deltaKeys.Length * 2)];
            var keys = _deltaKeys.AsSpan(0, count);
            for (var k = 0; k < keys.Length; k++) keys[k] = ((long)_idOrder[found[k].Node] << 32) | (uint)k;
            if (keys.Length < ManyDeltas)
            {
                keys.Sort();
            }
            else
            {
                if (_deltaKeyScratch.Length < keys.Length) _deltaKeyScratch = new long[_deltaKeys.Length];
                RadixSort.ByHighHalf(keys, _deltaKeyScratch, _nodes.End);
            }

            for (var k = 0; k < keys.Length; k++)
            {
                ref readonly var delta = ref found[unchecked((int)keys[k])];
                result.Set(k, IdOf(delta), delta.Snapshots);
            }

            return result;
        }

        var ids = new string[count];
        for (var k = 0; k < ids.Length; k++) ids[k] = IdOf(found[k]);
        if (count <= FewDeltas)
        {
            // By id, then by position: a goal removed and added again in one change set has two deltas.
            var order = new int[count];
            for (var k = 0; k < order.Length; k++) order[k] = k;
            Array.Sort(order, (a, b) => string.CompareOrdinal(ids[a], ids[b]) is var c and not 0 ? c : a.CompareTo(b));
            for (var k = 0; k < order.Length; k++) result.Set(k, ids[order[k]], found[order[k]].Snapshots);
            return result;
        }

        var sorted = OrdinalOrder.Of(ids);
        for (var k = 0; k < sorted.Length; k++) result.Set(k, ids[sorted[k]], found[sorted[k]].Snapshots);
        return result;
    }

    /// <summary>Saved row <paramref name="k"/>'s value and health: the goal as it was before the change set.</summary>
    private GoalSnapshot SavedSnapshot(int k, DateOnly asOf)
    {
        var saved = _journal.SavedRows;
        var period = saved.ResolvedDays[k].ToPeriod();
        return new GoalSnapshot(saved.Value[k], PaceRules.Health(saved.State[k].IsCounted(), period, saved.Value[k], asOf, Settings));
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

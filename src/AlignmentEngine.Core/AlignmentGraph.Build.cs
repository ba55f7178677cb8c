using AlignmentEngine.Core.Graph;
using AlignmentEngine.Core.Validation;

namespace AlignmentEngine.Core;

public sealed partial class AlignmentGraph
{
    /// <summary>
    /// Validates a whole tree and, when it has no error, builds its graph with every derived value computed.
    /// Nodes are numbered in a topological order (parents first, depth-first so that a subtree sits together),
    /// which lets the first full computation run as two sequential passes over the arrays.
    /// </summary>
    public static GraphBuildResult Build(GoalTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var errors = TreeValidator.Validate(tree, out var goals);
        if (errors.Count > 0)
        {
            errors.Sort();
            return new GraphBuildResult(null, errors);
        }

        var order = TopologicalOrder(goals, out var parentIndex);
        var edgeCount = goals.Sum(g => g.Parents.Count);
        var defaultPeriod = tree.DefaultPeriod is { } d ? Resolve(d, tree.Periods) : null;
        var periods = new Dictionary<string, Period>(tree.Periods, StringComparer.Ordinal);
        var graph = new AlignmentGraph(goals.Count, edgeCount, periods, defaultPeriod, tree.DefaultPeriod, tree.Settings);
        graph.Load(goals, order, parentIndex);
        return new GraphBuildResult(graph, []);
    }

    private void Load(List<GoalDefinition> goals, int[] order, int[][] parentIndex)
    {
        var n = goals.Count;
        var position = new int[n];
        for (var p = 0; p < n; p++) position[order[p]] = p;

        var parentCounts = new int[n];
        var childCounts = new int[n];
        for (var p = 0; p < n; p++)
        {
            var doc = order[p];
            parentCounts[p] = parentIndex[doc].Length;
            foreach (var parentDoc in parentIndex[doc]) childCounts[position[parentDoc]]++;
        }

        var parentCursor = _parentEdges.Reserve(parentCounts);
        var childCursor = _childEdges.Reserve(childCounts);
        for (var p = 0; p < n; p++)
        {
            var goal = goals[order[p]];
            AssignDefinition(p, goal);
            for (var k = 0; k < goal.Parents.Count; k++)
            {
                var link = goal.Parents[k];
                var parent = position[parentIndex[order[p]][k]];
                var e = _edges.End++;
                _edges.Write(e, new EdgeRow(parent, p, SignedWeight(link.Weight, link.Contributes, IsCounted(p)), link.Contributes));
                _parentEdges.SetAt(parentCursor[p]++, e);
                _childEdges.SetAt(childCursor[parent]++, e);
            }
        }

        _nodes.End = n;
        _nodes.Count = n;
        ComputeAllInTopologicalOrder();
        _idOrder.Rank(_nodes.Id, n, n);
        BackColumnsWithLargePages();
    }

    /// <summary>
    /// Kahn's algorithm with a stack (depth-first flavour, for locality). Also returns each goal's parents as
    /// document indices, in the goal's own parent order.
    /// </summary>
    private static int[] TopologicalOrder(List<GoalDefinition> goals, out int[][] parentIndex)
    {
        var n = goals.Count;
        var byId = new Dictionary<string, int>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++) byId.Add(goals[i].Id, i);
        parentIndex = new int[n][];
        var remaining = new int[n];
        var childCounts = new int[n + 1];
        for (var i = 0; i < n; i++)
        {
            var links = goals[i].Parents;
            var parents = new int[links.Count];
            for (var k = 0; k < links.Count; k++)
            {
                parents[k] = byId[links[k].ParentId];
                childCounts[parents[k] + 1]++;
            }

            parentIndex[i] = parents;
            remaining[i] = parents.Length;
        }

        // Children of each goal as a CSR over document indices.
        for (var i = 0; i < n; i++) childCounts[i + 1] += childCounts[i];
        var children = new int[childCounts[n]];
        var fill = childCounts[..n];
        for (var i = 0; i < n; i++)
        {
            foreach (var p in parentIndex[i]) children[fill[p]++] = i;
        }

        var order = new int[n];
        var count = 0;
        var ready = new Stack<int>();
        for (var i = n - 1; i >= 0; i--)
        {
            if (remaining[i] == 0) ready.Push(i);
        }

        while (ready.Count > 0)
        {
            var v = ready.Pop();
            order[count++] = v;
            for (var k = childCounts[v + 1] - 1; k >= childCounts[v]; k--)
            {
                var c = children[k];
                if (--remaining[c] == 0) ready.Push(c);
            }
        }

        System.Diagnostics.Debug.Assert(count == n, "validation guarantees an acyclic tree");
        return order;
    }

    private static Period? Resolve(PeriodRef period, IReadOnlyDictionary<string, Period> periods) =>
        period.Name is { } name ? periods[name] : period.Range;

    /// <summary>
    /// Writes a definition's own fields into node <paramref name="i"/> (not its edges). Inside a transaction the
    /// caller has taken the node's findings before; this takes those of the groups it joins.
    /// </summary>
    private void AssignDefinition(int i, GoalDefinition goal)
    {
        var metric = goal.Metric;
        var unit = metric is null ? -1 : _strings.Intern(metric.Unit);
        var key = string.IsNullOrEmpty(metric?.Key) ? -1 : _strings.Intern(metric.Key);
        var owner = _strings.Intern(goal.Owner);
        TakeGroupFindingsBefore(key, owner);
        var nodes = _journal.EditRow(i);
        var reindex = nodes.Id[i] != goal.Id;
        if (reindex && nodes.Id[i] is { } old) _index.Remove(old);
        if (reindex && nodes.OwnIds()) _index.Keys = nodes.Id;
        var wasAlive = nodes.Id[i] is not null;
        _keyMembers.Move(i, wasAlive ? nodes.Key[i] : -1, key);
        _ownerMembers.Move(i, wasAlive ? nodes.Owner[i] : -1, owner);
        nodes.Id[i] = goal.Id;
        if (reindex) _index.Set(i);
        nodes.Type[i] = goal.Type;
        nodes.OwnLevel[i] = goal.Level is { } level ? (sbyte)level : NodeTable.NoLevel;
        nodes.State[i] = goal.State;
        var own = goal.Period is { } p ? Resolve(p, Periods) : null;
        nodes.OwnDays[i] = own is { } stated ? new DayRange(stated.Start.DayNumber, stated.End.DayNumber) : DayRange.None;
        nodes.PeriodName[i] = _strings.Intern(goal.Period?.Name);
        nodes.Direction[i] = metric is null ? NodeTable.NoMetric : (sbyte)metric.Direction;
        nodes.Metric[i] = new MetricNumbers { Start = metric?.Start ?? 0, Target = metric?.Target ?? double.NaN, Current = metric?.Current ?? double.NaN };
        nodes.Unit[i] = unit;
        nodes.Key[i] = key;
        nodes.Aggregates[i] = metric?.Aggregates ?? false;
        nodes.Progress[i].Override = goal.ProgressOverride ?? double.NaN;
        nodes.Owner[i] = owner;
        nodes.Title[i] = goal.Title;
        SetTags(i, goal.Tags);
    }
}

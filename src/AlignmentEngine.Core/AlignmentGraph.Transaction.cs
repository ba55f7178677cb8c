using AlignmentEngine.Core.Graph;

namespace AlignmentEngine.Core;

/// <summary>
/// A change set's findings before it: the findings of every node a change could affect are taken before its
/// neighbourhood is first written, so a change result costs what the change reaches, never a pass over the
/// graph. What the rows held before is kept by the <see cref="ChangeJournal"/>.
/// </summary>
public sealed partial class AlignmentGraph
{
    private readonly List<int> _findingScope = [];
    private readonly List<Finding> _beforeFindings = [];
    private readonly HashSet<int> _touchedKeys = [];
    private readonly HashSet<int> _touchedOwners = [];
    private DateOnly _txAsOf;

    private void BeginTransaction(DateOnly asOf)
    {
        _journal.Begin();
        _txAsOf = asOf;
    }

    private void EndTransaction()
    {
        _journal.End();
        _groupSums.Keep();
        ClearScope();
    }

    private void Rollback()
    {
        _journal.Rollback();
        _groupSums.Undo();
        ClearScope();
    }

    private void ClearScope()
    {
        _findingScope.Clear();
        _beforeFindings.Clear();
        _touchedKeys.Clear();
        _touchedOwners.Clear();
        _topDown.Clear();
        _bottomUp.Clear();
        _downSeeds.Clear();
        _upSeeds.Clear();
        _anchoringOnly.Clear();
    }

    /// <summary>
    /// Call before writing anything a finding depends on (state, metric shape, periods, levels, owner, edges,
    /// anchoring): saves the node's row and takes the findings of the node, its parents and its children, and of
    /// its groups, as they were.
    /// </summary>
    private void BeforeFindingChange(int node)
    {
        _journal.SaveRow(node);
        if (!_journal.IsOpen) return;
        TakeFindingsBefore(node);
        foreach (var e in _parentEdges.Items(node)) TakeFindingsBefore(_edges.Parent[e]);
        foreach (var e in _childEdges.Items(node)) TakeFindingsBefore(_edges.Child[e]);
        TakeGroupFindingsBefore(_nodes.Key[node], _nodes.Owner[node]);
    }

    private void TakeFindingsBefore(int node)
    {
        if (!_journal.FirstTouch(node, Touch.Findings)) return;
        _findingScope.Add(node);
        if (!IsAlive(node)) return;

        // A neighbour's change can take this goal's findings after its anchoring alone was flipped: read them with
        // the flag as it was.
        var anchored = _nodes.Anchored[node];
        _findings.AddNodeFindings(node, _journal.TouchedBy(node, Touch.Anchoring) ? !anchored : anchored, _beforeFindings);
    }

    private void TakeGroupFindingsBefore(int key, int owner)
    {
        if (!_journal.IsOpen) return;
        if (key >= 0 && _touchedKeys.Add(key)) _findings.AddKeyFindings(key, _beforeFindings);
        if (owner >= 0 && _touchedOwners.Add(owner)) _findings.AddOwnerFindings(owner, _txAsOf, _beforeFindings);
    }
}

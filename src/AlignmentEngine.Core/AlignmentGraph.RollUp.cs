using AlignmentEngine.Core.Graph;
using AlignmentEngine.Core.Rules;

namespace AlignmentEngine.Core;

/// <summary>
/// The full roll-up: every goal whose value comes from its children (weighted means and cascaded sums)
/// recomputed in one reverse pass over the topological numbering. Goals valued by their own metric or by an
/// override are inputs of the roll-up, not results of it: their values are set when the metric or the override
/// changes, so the pass reads them and leaves them alone. This is the bulk build's value pass.
/// </summary>
public sealed partial class AlignmentGraph
{
    /// <summary>Whether a goal's value depends on its children: no metric and no override, or a cascaded sum.</summary>
    private bool DependsOnChildren(int i) => _nodes.Aggregates[i] || (_nodes.Direction[i] == NodeTable.NoMetric && double.IsNaN(_nodes.Progress[i].Override));

    /// <summary>Values of the goals that do not depend on children (metric or override): the roll-up's inputs.</summary>
    private void EvaluateInputs()
    {
        for (var i = 0; i < _nodes.End; i++)
        {
            if (IsAlive(i) && !DependsOnChildren(i)) Store(i, Evaluate(i));
        }
    }

    /// <summary>Re-aggregates every child-dependent goal; valid while index order is topological (a built graph).</summary>
    internal void RollUpAll()
    {
        // The columns in locals, loaded once for the whole pass rather than through the tables at every node.
        _groupSums.Clear();
        var (aggregates, directions, values, progresses) = (_nodes.Aggregates, _nodes.Direction, _nodes.Value, _nodes.Progress);
        for (var i = _nodes.End - 1; i >= 0; i--)
        {
            if (aggregates[i])
            {
                Store(i, Evaluate(i));
                continue;
            }

            if (directions[i] != NodeTable.NoMetric) continue;
            ref var progress = ref progresses[i];
            if (!double.IsNaN(progress.Override)) continue;
            var terms = new WeightedChildTerms(_childEdges.Items(i), _edges, values);
            var (weighted, weights) = BlockedSummation.Sum(ref terms);
            var mean = weights > 0 ? weighted / weights : 0;
            values[i] = mean;
            progress.Attainment = mean;
            progress.EffectiveCurrent = double.NaN;
        }
    }

    /// <summary>
    /// Every goal's value evaluated from scratch, own metrics included, children first: <see cref="RollUpAll"/> plus
    /// the re-evaluation of its inputs. Results are what the graph holds already, so it can be repeated (benchmarks).
    /// </summary>
    internal void RecomputeValues()
    {
        _groupSums.Clear();
        for (var i = _nodes.End - 1; i >= 0; i--)
        {
            Store(i, Evaluate(i));
        }
    }

    /// <summary>Writes a goal's evaluation outside a change set (building and the full passes save nothing).</summary>
    private void Store(int i, (double Value, double Attainment, double Effective) evaluated)
    {
        _nodes.Value[i] = evaluated.Value;
        ref var progress = ref _nodes.Progress[i];
        progress.Attainment = evaluated.Attainment;
        progress.EffectiveCurrent = evaluated.Effective;
    }

    /// <summary>Every derived field from scratch (ranks, resolved periods and levels, anchoring, then values).</summary>
    internal void RecomputeEverything() => ComputeAllInTopologicalOrder();
}

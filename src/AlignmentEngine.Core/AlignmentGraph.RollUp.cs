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
    private bool DependsOnChildren(int i) => _aggregates[i] || (_direction[i] == NoMetric && double.IsNaN(_override[i]));

    /// <summary>Values of the goals that do not depend on children (metric or override): the roll-up's inputs.</summary>
    private void EvaluateInputs()
    {
        for (var i = 0; i < _nodeEnd; i++)
        {
            if (IsAlive(i) && !DependsOnChildren(i)) (_value[i], _attainment[i], _effCurrent[i]) = Evaluate(i);
        }
    }

    /// <summary>Re-aggregates every child-dependent goal; valid while index order is topological (a built graph).</summary>
    internal void RollUpAll()
    {
        for (var i = _nodeEnd - 1; i >= 0; i--)
        {
            if (_aggregates[i])
            {
                (_value[i], _attainment[i], _effCurrent[i]) = Evaluate(i);
                continue;
            }

            if (_direction[i] != NoMetric || !double.IsNaN(_override[i])) continue;
            double weighted = 0, weights = 0;
            foreach (var e in _childEdges.Items(i))
            {
                var w = _edgeSignedWeight[e];
                if (w <= 0) continue;
                weighted += w * _value[_edgeChild[e]];
                weights += w;
            }

            var mean = weights > 0 ? weighted / weights : 0;
            _value[i] = mean;
            _attainment[i] = mean;
            _effCurrent[i] = double.NaN;
        }
    }

    /// <summary>
    /// Every goal's value evaluated from scratch, own metrics included, children first: <see cref="RollUpAll"/> plus
    /// the re-evaluation of its inputs. Results are what the graph holds already, so it can be repeated (benchmarks).
    /// </summary>
    internal void RecomputeValues()
    {
        for (var i = _nodeEnd - 1; i >= 0; i--)
        {
            (_value[i], _attainment[i], _effCurrent[i]) = Evaluate(i);
        }
    }

    /// <summary>Every derived field from scratch (ranks, resolved periods and levels, anchoring, then values).</summary>
    internal void RecomputeEverything() => ComputeAllInTopologicalOrder();
}

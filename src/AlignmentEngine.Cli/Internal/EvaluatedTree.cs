using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// A goal file evaluated at one date, with what every output beyond plain JSON needs at hand: each goal's
/// definition, result, place in the file and findings, and the coverage figures.
/// </summary>
internal sealed class EvaluatedTree
{
    private readonly Dictionary<string, GoalDefinition> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SourcePosition>> _positions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GoalResult> _results;
    private readonly Dictionary<string, List<Finding>> _findings = new(StringComparer.Ordinal);
    private readonly List<GoalDefinition> _goals = [];
    private readonly List<Finding> _documentFindings = [];
    private readonly Dictionary<Finding, int> _findingIndex = new(ReferenceEqualityComparer.Instance);

    private EvaluatedTree(GoalTreeDocument document, RollupReport report, CoverageReport? coverage)
    {
        Document = document;
        Report = report;
        Coverage = coverage;
        for (var i = 0; i < document.Tree.Goals.Count; i++)
        {
            var goal = document.Tree.Goals[i];
            if (_definitions.TryAdd(goal.Id, goal)) _goals.Add(goal);
            if (_positions.TryGetValue(goal.Id, out var seen)) seen.Add(document.GoalPositions[i]);
            else _positions[goal.Id] = [document.GoalPositions[i]];
        }

        _results = report.Goals.ToDictionary(g => g.Id, StringComparer.Ordinal);
        for (var index = 0; index < report.Findings.Count; index++)
        {
            var finding = report.Findings[index];
            _findingIndex.TryAdd(finding, index);
            if (!_definitions.ContainsKey(finding.Goal)) _documentFindings.Add(finding);
            else if (_findings.TryGetValue(finding.Goal, out var list)) list.Add(finding);
            else _findings[finding.Goal] = [finding];
        }
    }

    public GoalTreeDocument Document { get; }

    public RollupReport Report { get; }

    public DateOnly AsOf => Report.AsOf;

    /// <summary>Anchoring coverage; null for an invalid tree, which is not rolled up.</summary>
    public CoverageReport? Coverage { get; }

    /// <summary>Every goal once, in document order (a repeated id's first definition, the one the engine keeps).</summary>
    public IReadOnlyList<GoalDefinition> Goals => _goals;

    /// <summary>Findings that are about no goal of the file: the document's default period, for one.</summary>
    public IReadOnlyList<Finding> DocumentFindings => _documentFindings;

    /// <summary>
    /// Evaluates at <paramref name="asOf"/>, else the file's <c>as_of</c>, else today (UTC). This is
    /// <see cref="TreeEvaluator.Evaluate"/> keeping the graph it builds, for the coverage figures.
    /// </summary>
    public static EvaluatedTree Evaluate(GoalTreeDocument document, DateOnly? asOf)
    {
        var date = asOf ?? document.Tree.AsOf ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var build = AlignmentGraph.Build(document.Tree);
        return build.Graph is { } graph
            ? new EvaluatedTree(document, graph.Rollup(date), graph.Coverage())
            : new EvaluatedTree(document, new RollupReport(date, false, [], build.Errors), null);
    }

    public GoalResult? ResultOf(string id) => _results.GetValueOrDefault(id);

    public GoalDefinition? DefinitionOf(string id) => _definitions.GetValueOrDefault(id);

    public bool Contains(string id) => _definitions.ContainsKey(id);

    /// <summary>Where a finding stands in <c>Report.Findings</c> (its anchor in a page).</summary>
    public int IndexOf(Finding finding) => _findingIndex[finding];

    public IReadOnlyList<Finding> FindingsOf(string id) => _findings.TryGetValue(id, out var list) ? list : [];

    /// <summary>Where a goal is defined (its first definition).</summary>
    public SourcePosition PositionOf(string id) =>
        _positions.TryGetValue(id, out var list) ? list[0] : SourcePosition.FileStart;

    /// <summary>
    /// Where each finding points in the file, index for index with <c>Report.Findings</c>. A repeated id's
    /// n-th <c>DUPLICATE_ID</c> points at its (n+1)-th definition: the repeat that is ignored, which is the
    /// line to fix. Findings about no goal point at the start of the file.
    /// </summary>
    public IReadOnlyList<SourcePosition> FindingPositions()
    {
        var repeats = new Dictionary<string, int>(StringComparer.Ordinal);
        var positions = new List<SourcePosition>(Report.Findings.Count);
        foreach (var finding in Report.Findings)
        {
            if (!_positions.TryGetValue(finding.Goal, out var list))
            {
                positions.Add(SourcePosition.FileStart);
                continue;
            }

            var index = 0;
            if (finding.Code == FindingCode.DuplicateId)
            {
                index = repeats.GetValueOrDefault(finding.Goal) + 1;
                repeats[finding.Goal] = index;
            }

            positions.Add(list[Math.Min(index, list.Count - 1)]);
        }

        return positions;
    }

    /// <summary>The most severe of a goal's findings, or null when it has none.</summary>
    public Severity? WorstSeverityOf(string id) =>
        _findings.TryGetValue(id, out var list) ? list.Min(f => f.Severity) : null;
}

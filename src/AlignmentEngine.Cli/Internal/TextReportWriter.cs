using System.Globalization;
using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;
using Spectre.Console;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// The human-readable output: the goal tree with a progress bar per goal, then the findings grouped by severity.
/// </summary>
internal sealed class TextReportWriter
{
    /// <summary>Deeper levels are summarised (<see cref="GoalHierarchy.MaxDepth"/>).</summary>
    internal const int MaxDepth = GoalHierarchy.MaxDepth;

    private const int BarCells = 10;

    private readonly IAnsiConsole _console;

    public TextReportWriter(CliConsole console)
    {
        _console = SpectreConsole.Create(console);
    }

    public void WriteRollup(GoalTreeDocument document, RollupReport report)
    {
        _console.MarkupLine(CultureInfo.InvariantCulture, "[bold]{0}[/] at {1:yyyy-MM-dd}: {2}",
            Markup.Escape(document.Path), report.AsOf, report.Valid ? $"{report.Goals.Count} goals" : "[red]invalid[/], no roll-up");
        if (report.Valid && report.Goals.Count > 0) _console.Write(BuildTree(document.Tree, report));
        _console.WriteLine();
        WriteFindings(report.Findings);
    }

    public void WriteValidation(GoalTreeDocument document, RollupReport report)
    {
        _console.MarkupLine(CultureInfo.InvariantCulture, "[bold]{0}[/] at {1:yyyy-MM-dd}: {2}, {3} goals",
            Markup.Escape(document.Path), report.AsOf, report.Valid ? "[green]valid[/]" : "[red]invalid[/]", document.Tree.Goals.Count);
        WriteFindings(report.Findings);
    }

    private void WriteFindings(IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
        {
            _console.MarkupLine("[green]No findings.[/]");
            return;
        }

        var counts = Enum.GetValues<Severity>().Select(s => (Severity: s, Count: findings.Count(f => f.Severity == s))).ToArray();
        _console.MarkupLine("Findings: " + string.Join(", ", counts.Select(c => $"{c.Count} {CountNoun(c.Severity, c.Count)}")));

        // The report is already sorted by severity, so each group is one run of the list.
        foreach (var group in findings.GroupBy(f => f.Severity))
        {
            _console.MarkupLine(CultureInfo.InvariantCulture, "[{0} bold]{1}[/]", SeverityColour(group.Key), GroupTitle(group.Key));
            foreach (var finding in group)
            {
                var goal = finding.Goal.Length == 0 ? "(document)" : finding.Goal;
                var related = finding.Related.Count == 0 ? string.Empty : $" (related: {string.Join(", ", finding.Related)})";
                _console.MarkupLine(CultureInfo.InvariantCulture, "  [{0}]{1}[/] {2}{3}: {4}",
                    SeverityColour(group.Key), finding.Code.Name(), Markup.Escape(goal), Markup.Escape(related), Markup.Escape(finding.Message));
            }
        }
    }

    /// <summary>Goals under their primary parent (<see cref="GoalHierarchy"/>), roots first, siblings by id.</summary>
    private static Tree BuildTree(GoalTree tree, RollupReport report)
    {
        var definitions = new Dictionary<string, GoalDefinition>(StringComparer.Ordinal);
        foreach (var goal in tree.Goals) definitions.TryAdd(goal.Id, goal);
        var results = report.Goals.ToDictionary(g => g.Id, StringComparer.Ordinal);

        // report.Goals is sorted by id, so every child list comes out sorted too.
        var hierarchy = new GoalHierarchy(
            [.. report.Goals.Select(g => g.Id)],
            id => definitions.TryGetValue(id, out var definition) && definition.Parents.Count > 0 ? definition.Parents[0].ParentId : null);

        var root = new Tree(new Markup("[bold]Goals[/]"));

        // The node each depth's goals are added under: a depth-first walk leaves it there when it reaches them.
        var under = new List<IHasTreeNodes> { root };
        foreach (var entry in hierarchy.Walk(MaxDepth))
        {
            if (entry.Summarised > 0)
            {
                under[entry.Depth].AddNode(new Markup(
                    $"[grey]... {entry.Summarised} more goals below (display depth limit {MaxDepth}; --format json has them all)[/]"));
                continue;
            }

            definitions.TryGetValue(entry.Id, out var definition);
            var node = under[entry.Depth].AddNode(new Markup(Label(results[entry.Id], definition)));
            if (under.Count == entry.Depth + 1) under.Add(node);
            else under[entry.Depth + 1] = node;
        }

        return root;
    }

    private static string Label(GoalResult goal, GoalDefinition? definition)
    {
        var colour = HealthColour(goal.Health);
        var label = new System.Text.StringBuilder();
        label.Append(CultureInfo.InvariantCulture, $"[bold]{Markup.Escape(goal.Id)}[/] [{colour}]{Bar(goal.Progress)}[/] {Percent(goal.Progress),5}");
        if (goal.Attainment != goal.Progress)
        {
            label.Append(CultureInfo.InvariantCulture, $" (attainment {Percent(goal.Attainment)})");
        }

        if (goal.Expected is { } expected) label.Append(CultureInfo.InvariantCulture, $"  expected {Percent(expected)}");
        label.Append(CultureInfo.InvariantCulture, $"  [{colour}]{goal.Health.Name()}[/]");

        // Inactive says the goal is excluded; the state says why (draft, archived, cancelled).
        if (definition is { } stated && stated.State != GoalState.Active)
        {
            label.Append(CultureInfo.InvariantCulture, $" [grey]({stated.State.Name()})[/]");
        }

        if (definition?.Title is { Length: > 0 } title) label.Append(CultureInfo.InvariantCulture, $"  [dim]{Markup.Escape(title)}[/]");
        if (definition is { Parents.Count: > 1 })
        {
            var others = string.Join(", ", definition.Parents.Skip(1).Select(p => p.ParentId));
            label.Append(CultureInfo.InvariantCulture, $"  [italic]also aligned to {Markup.Escape(others)}[/]");
        }

        return label.ToString();
    }

    /// <summary>A ten-cell bar, e.g. <c>████████░░</c> for 80 %.</summary>
    internal static string Bar(double progress)
    {
        var filled = (int)Math.Round(Math.Clamp(progress, 0, 1) * BarCells, MidpointRounding.AwayFromZero);
        return new string('█', filled) + new string('░', BarCells - filled);
    }

    internal static string Percent(double fraction) =>
        (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    private static string HealthColour(Health health) => health switch
    {
        Health.Achieved or Health.OnTrack => "green",
        Health.AtRisk => "yellow",
        Health.OffTrack => "red",
        Health.NotStarted => "blue",
        _ => "grey",
    };

    private static string SeverityColour(Severity severity) => severity switch
    {
        Severity.Error => "red",
        Severity.Warning => "yellow",
        _ => "blue",
    };

    private static string CountNoun(Severity severity, int count) => severity switch
    {
        Severity.Info => "info",
        _ => count == 1 ? severity.Name() : severity.Name() + "s",
    };

    private static string GroupTitle(Severity severity) => severity switch
    {
        Severity.Error => "Errors",
        Severity.Warning => "Warnings",
        _ => "Info",
    };
}

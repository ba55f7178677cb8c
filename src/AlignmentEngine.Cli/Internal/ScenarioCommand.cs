using System.CommandLine;
using System.Diagnostics;
using AlignmentEngine.Core;
using AlignmentEngine.Core.Scenarios;
using AlignmentEngine.Synthetic;
using Spectre.Console;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr scenario NAME</c>: load a goal file or generate an organisation, simulate a named priority shift on it,
/// and report what moved (health before and after, newly orphaned goals, the largest value changes, time taken).
/// </summary>
internal static class ScenarioCommand
{
    public static Command Create(CliConsole console)
    {
        var name = new Argument<string>("SCENARIO") { Description = "One of: " + string.Join(", ", PriorityShift.All.Select(s => $"{s.Name} ({s.Description})")) };
        name.AcceptOnlyFromAmong([.. PriorityShift.All.Select(s => s.Name)]);
        var file = new Option<string?>("--file") { Description = "The organisation: a goal tree file." };
        var generate = CommonOptions.OptionalWholeNumber("--generate",
            $"The organisation: a synthetic one of this many goals ({CommonOptions.Range(GenerateCommand.MinGoals, GenerateCommand.MaxGoals)}).", GenerateCommand.MinGoals, GenerateCommand.MaxGoals);
        var seed = GenerateCommand.Seed("Seed of the generated organisation and of the scenario's choices.");
        var share = CommonOptions.Share("--share", "Share of candidates affected, in (0, 1].", 0.5);
        var top = CommonOptions.WholeNumber("--top", "How many changes, health changes and value changes to list.", 1, 100_000, 10);
        var asOf = CommonOptions.AsOf("Judge health at this date. Default: the file's as_of, else the generator's date, else today.");
        var format = CommonOptions.Format("text (summary tables), json for scripts and notebooks, or markdown for a wiki page.", "text", "json", "markdown");
        var command = new Command("scenario", "Simulate a priority shift on an organisation and report what it changed and what moved.") { name, file, generate, seed, share, top, asOf, format };
        command.Validators.Add(r =>
        {
            if ((r.GetResult(file) is null) == (r.GetResult(generate) is null)) r.AddError("Give the organisation with either --file FILE or --generate N.");
        });
        command.SetAction(result => CommandGuard.Run("scenario", result.GetValue(file) ?? "(generated)", console, () => Run(
            PriorityShift.Find(result.GetRequiredValue(name))!,
            result.GetValue(file), result.GetValue(generate), result.GetValue(seed), result.GetValue(share), result.GetValue(top),
            result.GetValue(asOf), result.GetRequiredValue(format), console)));
        return command;
    }

    private static int Run(PriorityShift scenario, string? file, int? generate, int seed, double share, int top, DateOnly? asOf, string format, CliConsole console)
    {
        var text = format == "text";
        var ansi = SpectreConsole.Create(console, interactive: text);
        ScenarioOutcome? outcome = null;
        var exit = ExitCodes.Ok;
        void Steps(Action<Action<string>> run)
        {
            // A live bar on a terminal only: a pipe or a file gets just the report.
            if (!text || !console.Colour)
            {
                run(_ => { });
                return;
            }

            ansi.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new SpinnerColumn()).Start(progress =>
            {
                var task = progress.AddTask("starting", maxValue: 4);
                run(description =>
                {
                    if (task.Description != "starting") task.Increment(1);
                    task.Description = description;
                });
            });
        }

        Steps(step =>
        {
            step(file is null ? $"generating {generate:N0} goals" : $"reading {file}");
            GoalTree tree;
            if (file is not null)
            {
                if (GoalFileInput.Read(file, console) is not { } document)
                {
                    exit = ExitCodes.Usage;
                    return;
                }

                tree = document.Tree;
            }
            else
            {
                tree = OrganisationGenerator.Generate(generate!.Value, seed);
            }

            step("building the graph");
            var build = AlignmentGraph.Build(tree);
            if (build.Graph is not { } graph)
            {
                console.Error.WriteLine($"okr scenario: {file ?? "the organisation"} is not a valid tree: {string.Join("; ", build.Errors)}");
                exit = ExitCodes.Findings;
                return;
            }

            step("rolling up");
            var date = asOf ?? tree.AsOf ?? (file is null ? OrganisationGenerator.AsOf : DateOnly.FromDateTime(DateTime.UtcNow));
            var before = graph.Rollup(date);
            var changes = scenario.Changes(graph, seed, share);
            step($"simulating {scenario.Name} ({changes.Count:N0} changes)");
            var clock = Stopwatch.StartNew();
            var result = graph.Simulate(changes, date);
            clock.Stop();
            outcome = new ScenarioOutcome(
                ScenarioReport.Of(scenario.Name, before, changes, result, clock.Elapsed, top),
                ScenarioChanges.Describe(graph, changes),
                ScenarioChanges.HealthMoves(graph, result, date, top),
                top);
        });

        if (outcome is null) return exit;
        if (format == "json") ScenarioWriters.WriteJson(outcome, console);
        else if (format == "markdown") ScenarioWriters.WriteMarkdown(outcome, console);
        else ScenarioWriters.WriteText(outcome, ansi);
        return ExitCodes.Ok;
    }
}

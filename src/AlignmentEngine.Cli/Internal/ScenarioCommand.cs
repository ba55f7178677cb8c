using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AlignmentEngine.Core;
using AlignmentEngine.Core.Scenarios;
using AlignmentEngine.Synthetic;
using AlignmentEngine.GoalFiles;
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
        var generate = new Option<int?>("--generate") { Description = "The organisation: a synthetic one of this many goals." };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated organisation and of the scenario's choices.", DefaultValueFactory = _ => 1 };
        var share = new Option<double>("--share") { Description = "Share of candidates affected, in (0, 1].", DefaultValueFactory = _ => 0.5 };
        share.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is not (> 0 and <= 1)) r.AddError("--share must be in (0, 1].");
        });
        var top = new Option<int>("--top") { Description = "How many of the largest value changes to list.", DefaultValueFactory = _ => 10 };
        var asOf = CommonOptions.AsOf("Judge health at this date. Default: the file's as_of, else the generator's date, else today.");
        var format = CommonOptions.Format("text (a summary table), or json for scripts.", "text", "json");
        var command = new Command("scenario", "Simulate a priority shift on an organisation and report what moved.") { name, file, generate, seed, share, top, asOf, format };
        command.Validators.Add(r =>
        {
            if ((r.GetValue(file) is null) == (r.GetValue(generate) is null)) r.AddError("Give the organisation with either --file FILE or --generate N.");
            if (r.GetValue(generate) is { } n && n is < 1 or > GenerateCommand.MaxGoals) r.AddError($"--generate must be between 1 and {GenerateCommand.MaxGoals}.");
        });
        command.SetAction(result => CommandGuard.Run("scenario", result.GetValue(file) ?? "(generated)", console, () => Run(
            PriorityShift.Find(result.GetRequiredValue(name))!,
            result.GetValue(file), result.GetValue(generate), result.GetValue(seed), result.GetValue(share), result.GetValue(top),
            result.GetValue(asOf), result.GetRequiredValue(format) == "json", console)));
        return command;
    }

    private static int Run(PriorityShift scenario, string? file, int? generate, int seed, double share, int top, DateOnly? asOf, bool json, CliConsole console)
    {
        var ansi = SpectreConsole.Create(console, interactive: !json);
        ScenarioReport? report = null;
        var exit = ExitCodes.Ok;
        void Steps(Action<Action<string>> run)
        {
            // A live bar on a terminal only: a pipe or a file gets just the report.
            if (json || !console.Colour)
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
                foreach (var error in build.Errors) console.Error.WriteLine($"okr: {error}");
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
            report = ScenarioReport.Of(scenario.Name, before, changes, result, clock.Elapsed, top);
        });

        if (report is null) return exit;
        if (json) WriteJson(report, console);
        else WriteText(report, ansi);
        return ExitCodes.Ok;
    }

    private static void WriteText(ScenarioReport report, IAnsiConsole ansi)
    {
        ansi.MarkupLine(CultureInfo.InvariantCulture, "[bold]{0}[/]: {1:N0} changes, {2}, simulated in {3:N2} ms",
            report.Scenario, report.ChangeCount, report.Accepted ? "accepted" : "[red]refused[/]", report.Elapsed.TotalMilliseconds);
        var health = new Table().AddColumns("health", "before", "after", "change");
        foreach (var h in Enum.GetValues<Health>())
        {
            var (was, now) = (report.HealthBefore[h], report.HealthAfter[h]);
            if (was == 0 && now == 0) continue;
            health.AddRow(h.Name(), $"{was:N0}", $"{now:N0}", now == was ? "" : $"{now - was:+#,0;-#,0}");
        }

        ansi.Write(health);
        var moves = new Table().AddColumns("goal", "before", "after", "Δ");
        foreach (var c in report.LargestChanges) moves.AddRow(Markup.Escape(c.Id), $"{c.Before:P1}", $"{c.After:P1}", $"{c.Delta * 100:+0.0;-0.0} pts");
        if (report.LargestChanges.Count > 0)
        {
            ansi.MarkupLine("[bold]largest value changes[/]");
            ansi.Write(moves);
        }

        ansi.MarkupLine(CultureInfo.InvariantCulture, "[bold]newly orphaned[/]: {0:N0}{1}", report.NewlyOrphaned.Count,
            report.NewlyOrphaned.Count == 0 ? "" : " (" + Markup.Escape(string.Join(", ", report.NewlyOrphaned.Take(10))) + (report.NewlyOrphaned.Count > 10 ? ", …" : "") + ")");
        ansi.MarkupLine("[bold]findings appeared[/]: " + Counts(report.FindingsAppeared));
        ansi.MarkupLine("[bold]findings disappeared[/]: " + Counts(report.FindingsDisappeared));
    }

    private static string Counts(IReadOnlyDictionary<FindingCode, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderBy(c => c.Key.Name(), StringComparer.Ordinal).Select(c => $"{c.Key.Name()} {c.Value:N0}"));

    private static void WriteJson(ScenarioReport report, CliConsole console)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("scenario", report.Scenario);
            json.WriteNumber("changes", report.ChangeCount);
            json.WriteBoolean("accepted", report.Accepted);
            json.WriteNumber("elapsed_ms", report.Elapsed.TotalMilliseconds);
            WriteCounts(json, "health_before", report.HealthBefore.ToDictionary(h => h.Key.Name(), h => h.Value));
            WriteCounts(json, "health_after", report.HealthAfter.ToDictionary(h => h.Key.Name(), h => h.Value));
            json.WriteStartArray("newly_orphaned");
            foreach (var id in report.NewlyOrphaned) json.WriteStringValue(id);
            json.WriteEndArray();
            json.WriteStartArray("largest_changes");
            foreach (var c in report.LargestChanges)
            {
                json.WriteStartObject();
                json.WriteString("id", c.Id);
                json.WriteNumber("before", c.Before);
                json.WriteNumber("after", c.After);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteCounts(json, "findings_appeared", report.FindingsAppeared.ToDictionary(c => c.Key.Name(), c => c.Value));
            WriteCounts(json, "findings_disappeared", report.FindingsDisappeared.ToDictionary(c => c.Key.Name(), c => c.Value));
            json.WriteEndObject();
        }

        console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteCounts(Utf8JsonWriter json, string name, Dictionary<string, int> counts)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in counts.OrderBy(c => c.Key, StringComparer.Ordinal)) json.WriteNumber(key, value);
        json.WriteEndObject();
    }
}

using System.CommandLine;
using System.Globalization;

namespace AlignmentEngine.Cli.Internal;

/// <summary><c>okr report FILE -o report.html</c> (or <c>--store STORE --tenant NAME</c>): the self-contained HTML page.</summary>
internal static class ReportCommand
{
    public static Command Create(CliConsole console)
    {
        var file = CommonOptions.File(description: "The goal tree file (YAML or JSON); '-' reads standard input. Not with --store.");
        file.Arity = ArgumentArity.ZeroOrOne;
        var asOf = CommonOptions.AsOf();
        var output = CommonOptions.Output("Write the page to this file (e.g. report.html) instead of standard output.");
        var compare = new Option<string?>("--compare") { Description = "An earlier version of the goal file: each goal shows the change in its progress since then." };
        var since = new Option<string?>("--since")
        {
            Description = $"A git revision (e.g. HEAD~5, main, a tag): each goal shows the change in its progress since the file as it was there. With --store, a date (YYYY-MM-DD; default {StoreReport.DefaultTrendDays} days before the report's date).",
        };
        var store = new Option<string?>("--store") { Description = "Report a tenant of the store 'okr serve' uses (sqlite:PATH, postgres:CONNECTION-STRING or sqlserver:CONNECTION-STRING), with its trend from the store's history, instead of a file." };
        var tenant = new Option<string?>("--tenant") { Description = "The tenant to report, with --store." };
        var command = new Command("report", "Write one self-contained HTML page: the tree, progress, pace, health, filters, trend, findings and coverage.") { file, asOf, output, compare, since, store, tenant };
        command.Validators.Add(r =>
        {
            if (r.GetResult(compare) is not null && r.GetResult(since) is not null) r.AddError("Give --compare FILE or --since REV, not both.");
            var fromStore = r.GetResult(store) is not null;
            if (fromStore == (r.GetResult(file) is not null)) r.AddError("Give a goal FILE or --store STORE --tenant NAME, not both and not neither.");
            if (fromStore != (r.GetResult(tenant) is not null)) r.AddError("--store and --tenant go together.");
            if (fromStore && r.GetResult(compare) is not null) r.AddError("--compare takes a goal file; with --store the trend comes from the store's history (--since DATE).");
        });
        command.SetAction(async (result, _) =>
        {
            if (result.GetValue(store) is { } location) return await FromStoreAsync(result, location, result.GetRequiredValue(tenant)!).ConfigureAwait(false);
            var path = result.GetRequiredValue(file);
            return CommandGuard.Run("report", path, console, () =>
            {
                var document = GoalFileInput.Read(path, console);
                if (document is null) return ExitCodes.Usage;

                // Exit 0 once the page is written, whatever it shows: gating on findings is validate's job.
                ReportTrend? trend = null;
                if (result.GetValue(compare) is { } earlier)
                {
                    if (GoalFileInput.Read(earlier, console) is not { } old) return ExitCodes.Usage;
                    trend = ReportTrend.Of(EvaluatedTree.Evaluate(old, null), earlier);
                }
                else if (result.GetValue(since) is { } revision)
                {
                    if (path == GoalFileInput.StandardInput)
                    {
                        console.Error.WriteLine("okr report: --since needs a file in a git repository, not standard input");
                        return ExitCodes.Usage;
                    }

                    trend = ReportTrend.FromGit(path, revision, console);
                    if (trend is null) return ExitCodes.Usage;
                }

                var page = HtmlReportWriter.Write(EvaluatedTree.Evaluate(document, result.GetValue(asOf)), trend);
                return OutputTarget.Write(result.GetValue(output), page, console) ? ExitCodes.Ok : ExitCodes.Usage;
            });
        });
        return command;

        Task<int> FromStoreAsync(ParseResult result, string location, string name) => CommandGuard.RunAsync("report", location, console, async () =>
        {
            DateOnly? from = null;
            if (result.GetValue(since) is { } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    console.Error.WriteLine($"okr report: --since with --store must be a date written YYYY-MM-DD, not '{text}'");
                    return ExitCodes.Usage;
                }

                from = date;
            }

            if (await StoreReport.ReadAsync(location, name, result.GetValue(asOf), from, console).ConfigureAwait(false) is not { } read) return ExitCodes.Usage;
            var page = HtmlReportWriter.Write(read.Tree, read.Trend);
            return OutputTarget.Write(result.GetValue(output), page, console) ? ExitCodes.Ok : ExitCodes.Usage;
        });
    }
}

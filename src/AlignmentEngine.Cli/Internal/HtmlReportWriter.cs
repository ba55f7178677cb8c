using System.Globalization;
using System.Net;
using System.Text;
using AlignmentEngine.Core;
using AlignmentEngine.GoalFiles;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr report</c>: one self-contained HTML page (inline CSS, no script, no URL of any kind, so it opens the
/// same from a CI artefact, a mail or a laptop offline) with the goal tree, a progress bar per goal with the
/// expected pace marked on it, health colours, the findings linked to their goals, and the coverage figures.
/// Every piece of text from the file is HTML-encoded.
/// </summary>
internal static class HtmlReportWriter
{
    private const string StyleSheet = """
        :root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #212121; }
        body { margin: 24px; }
        h1 { font-size: 1.5rem; margin: 0 0 4px; }
        h2 { font-size: 1.2rem; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        .meta { color: #555; margin: 0 0 12px; }
        .chips { display: flex; flex-wrap: wrap; gap: 8px; padding: 0; list-style: none; }
        .chip { border-radius: 12px; padding: 2px 10px; border: 1px solid; font-size: 0.9rem; }
        ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 18px; }
        ul.tree { padding-left: 0; }
        ul.tree li { margin: 2px 0; }
        summary { cursor: pointer; list-style: none; display: flex; align-items: center; }
        li.leaf { display: flex; align-items: center; }
        summary::-webkit-details-marker { display: none; }
        summary::before, .leaf::before { flex: none; width: 16px; content: "▸"; color: #777; }
        details[open] > summary::before { content: "▾"; }
        .leaf::before { content: ""; }
        .goal { display: inline-grid; grid-template-columns: calc(var(--name) - var(--d) * 18px) 160px 3.5em 10em 15em 5.5em auto; align-items: center;
                column-gap: 10px; padding: 3px 8px; border-radius: 6px; border-left: 6px solid; --name: 400px; white-space: nowrap; }
        .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .gid { font-weight: 600; font-family: ui-monospace, Menlo, Consolas, monospace; margin-right: 8px; }
        .title { color: #333; }
        .value { font-size: 0.85rem; font-variant-numeric: tabular-nums; overflow: hidden; text-overflow: ellipsis; }
        .trend { font-size: 0.85rem; font-variant-numeric: tabular-nums; text-align: right; }
        .up { color: #2e7d32; } .down { color: #c62828; }
        .count { color: #777; font-size: 0.8rem; margin-left: 6px; }
        .filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 8px 0 12px; }
        .filters label { font-size: 0.9rem; color: #555; }
        .hidden { display: none; }
        .bar { position: relative; display: inline-block; width: 160px; height: 12px; background: #e8e8e8; border-radius: 3px; overflow: hidden; }
        .fill { position: absolute; left: 0; top: 0; bottom: 0; }
        .pace { position: absolute; top: -2px; bottom: -2px; width: 2px; background: #212121; }
        .pct { width: 3.5em; text-align: right; font-variant-numeric: tabular-nums; }
        .health { font-size: 0.85rem; }
        .muted { color: #777; font-size: 0.85rem; }
        .mark { text-decoration: none; font-size: 0.85rem; font-weight: 600; }
        .sev-error { color: #c62828; }
        .sev-warning { color: #ef6c00; }
        .sev-info { color: #1565c0; }
        .more { color: #777; font-style: italic; }
        table { border-collapse: collapse; margin: 8px 0; }
        th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #eee; vertical-align: top; }
        th { background: #f5f5f5; }
        .invalid { color: #c62828; font-weight: 600; }
        """;

    /// <summary>Branches are open down to the depth that keeps about this many rows on a first screen or two.</summary>
    public const int OpenRows = 120;

    /// <summary>The most goals listed in one page: enough for any team's tree, small enough to open at a million goals.</summary>
    public const int MaxRows = 10_000;

    /// <summary>The most rows of the findings and coverage tables: beyond that they are counted, not listed.</summary>
    public const int MaxTableRows = 1_000;

    /// <summary>
    /// The filters and the search, in the page itself (no server, no file beside it): a goal stays when it matches
    /// every filter or has a goal below it that does; the branches leading to a match are opened. The filters are
    /// kept in the page's address, so a filtered view is a link.
    /// </summary>
    private const string FilterScript = """
        (function () {
          var items = Array.prototype.slice.call(document.querySelectorAll("#tree li[data-health]"));
          var search = document.getElementById("search"), owner = document.getElementById("filter-owner");
          var health = document.getElementById("filter-health"), level = document.getElementById("filter-level");
          var count = document.getElementById("filter-count");
          function apply() {
            var text = search.value.trim().toLowerCase(), o = owner.value, h = health.value, l = level.value;
            var active = text !== "" || o !== "" || h !== "" || l !== "", shown = 0;
            items.forEach(function (li) { li.classList.toggle("hidden", active); });
            if (!active) { count.textContent = ""; return; }
            items.forEach(function (li) {
              var d = li.dataset;
              if ((text === "" || d.text.indexOf(text) >= 0) && (o === "" || d.owner === o) && (h === "" || d.health === h) && (l === "" || d.level === l)) {
                shown++;
                for (var up = li; up && up.tagName === "LI"; up = up.parentElement.closest("li")) {
                  up.classList.remove("hidden");
                  if (up !== li) { var details = up.querySelector(":scope > details"); if (details) details.open = true; }
                }
              }
            });
            count.textContent = shown + " matching";
          }
          // The filters live in the address (#health=off_track&owner=cro), so a filtered view can be shared.
          var inputs = { search: search, owner: owner, health: health, level: level };
          new URLSearchParams(location.hash.slice(1)).forEach(function (value, key) { if (inputs[key]) inputs[key].value = value; });
          Object.keys(inputs).forEach(function (key) {
            inputs[key].addEventListener("input", function () {
              var state = new URLSearchParams();
              Object.keys(inputs).forEach(function (k) { if (inputs[k].value) state.set(k, inputs[k].value); });
              history.replaceState(null, "", "#" + state.toString());
              apply();
            });
          });
          apply();
        })();
        """;

    public static string Write(EvaluatedTree tree, ReportTrend? trend = null)
    {
        var html = new StringBuilder(64 * 1024);
        var nodes = NodeIds.For(tree.Goals);
        var date = tree.AsOf.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Goals: ").Append(E(tree.Document.Path)).Append(" at ").Append(date).Append("</title>\n")
            .Append("<style>\n").Append(StyleSheet).Append("\n</style>\n</head>\n<body>\n");

        html.Append("<header>\n<h1>Goals: ").Append(E(tree.Document.Path)).Append("</h1>\n<p class=\"meta\">as of ").Append(date)
            .Append(" · ").Append(ScenarioWriters.Plural(tree.Document.Tree.Goals.Count, "goal")).Append(" · ")
            .Append(tree.Report.Valid ? "valid" : "<span class=\"invalid\">invalid: not rolled up</span>")
            .Append(" · ").Append(FindingCounts(tree.Report.Findings)).Append("</p>\n");
        WriteHealthChips(html, tree);
        html.Append("</header>\n");

        if (trend is not null) html.Append("<p class=\"meta\" id=\"trend\">Trend: change in each goal's progress since ").Append(E(trend.Since)).Append(".</p>\n");
        WriteTree(html, tree, nodes, trend);
        WriteFindings(html, tree, nodes);
        WriteCoverage(html, tree);
        html.Append("<footer class=\"muted\"><p>Generated by okr report. Bars: progress; black line: expected pace for the date.</p></footer>\n");
        html.Append("<script>\n").Append(FilterScript).Append("\n</script>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void WriteHealthChips(StringBuilder html, EvaluatedTree tree)
    {
        if (!tree.Report.Valid) return;
        html.Append("<ul class=\"chips\" id=\"health-summary\">\n");
        foreach (var group in tree.Report.Goals.GroupBy(g => g.Health).OrderBy(g => g.Key))
        {
            html.Append("<li class=\"chip\" style=\"background:").Append(HealthColours.Fill(group.Key)).Append(";border-color:")
                .Append(HealthColours.Stroke(group.Key)).Append("\">").Append(group.Key.Name()).Append(": ")
                .Append(group.Count().ToString(CultureInfo.InvariantCulture)).Append("</li>\n");
        }

        html.Append("</ul>\n");
    }

    /// <summary>
    /// The goals under their primary parents as nested lists, each goal with children in a <c>&lt;details&gt;</c>
    /// so a reader can fold a branch away; every row is one grid, its name column narrowed by its indentation, so
    /// the bars stand in one column. Branches are open down to the depth that keeps about <see cref="OpenRows"/>
    /// rows on screen; each says how many goals it holds. At most <see cref="MaxRows"/> goals are written (the
    /// page for a million goals must still open): deeper levels are counted, not listed.
    /// </summary>
    private static void WriteTree(StringBuilder html, EvaluatedTree tree, IReadOnlyDictionary<string, string> nodes, ReportTrend? trend)
    {
        html.Append("<section id=\"tree\">\n<h2>Goals</h2>\n");
        var hierarchy = new GoalHierarchy(
            [.. tree.Goals.Select(g => g.Id).Order(StringComparer.Ordinal)],
            id => tree.DefinitionOf(id) is { Parents.Count: > 0 } goal ? goal.Parents[0].ParentId : null);
        var entries = hierarchy.Walk().ToList();
        var below = GoalsBelow(entries);
        var openDepth = DepthThatFits(entries, OpenRows);
        var writtenDepth = DepthThatFits(entries, MaxRows);
        WriteFilters(html, tree, [.. entries.Where(e => e.Summarised == 0 && e.Depth <= writtenDepth).Select(e => tree.DefinitionOf(e.Id)!)]);
        html.Append("<ul class=\"tree\">\n");
        var open = 0;
        var unlisted = 0;
        void FlushUnlisted()
        {
            if (unlisted == 0) return;
            html.Append("<li class=\"more\">… ").Append(unlisted.ToString(CultureInfo.InvariantCulture))
                .Append(" more goals below (not listed in this page; okr rollup --format json has them all)</li>\n");
            unlisted = 0;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Depth > writtenDepth)
            {
                unlisted += Math.Max(entry.Summarised, 1);
                continue;
            }

            FlushUnlisted();
            for (; open > entry.Depth; open--) html.Append("</ul>\n</details>\n</li>\n");
            if (entry.Summarised > 0)
            {
                html.Append("<li class=\"more\">… ").Append(entry.Summarised.ToString(CultureInfo.InvariantCulture))
                    .Append(" more goals below (display depth limit ").Append(GoalHierarchy.MaxDepth.ToString(CultureInfo.InvariantCulture))
                    .Append("; okr rollup --format json has them all)</li>\n");
                continue;
            }

            var goal = tree.DefinitionOf(entry.Id)!;
            html.Append("<li");
            WriteFilterData(html, tree, goal);
            if (below[i] > 0)
            {
                html.Append(">\n<details").Append(entry.Depth < openDepth ? " open" : "").Append(">\n<summary>");
                WriteGoal(html, tree, goal, entry.Depth, below[i], nodes, trend);
                html.Append("</summary>\n<ul>\n");
                open++;
            }
            else
            {
                html.Append(" class=\"leaf\">");
                WriteGoal(html, tree, goal, entry.Depth, 0, nodes, trend);
                html.Append("</li>\n");
            }
        }

        FlushUnlisted();
        for (; open > 0; open--) html.Append("</ul>\n</details>\n</li>\n");
        html.Append("</ul>\n</section>\n");
    }

    /// <summary>For each walk entry, how many goals hang below it (0 for a leaf).</summary>
    private static int[] GoalsBelow(List<HierarchyEntry> entries)
    {
        var below = new int[entries.Count];
        var ancestors = new Stack<int>();
        for (var i = 0; i < entries.Count; i++)
        {
            while (ancestors.Count > 0 && entries[ancestors.Peek()].Depth >= entries[i].Depth) ancestors.Pop();
            var size = Math.Max(entries[i].Summarised, 1);
            foreach (var ancestor in ancestors) below[ancestor] += size;
            if (entries[i].Summarised == 0) ancestors.Push(i);
        }

        return below;
    }

    /// <summary>
    /// The deepest depth whose goals, with all those above them, number at most <paramref name="rows"/> (0, the
    /// roots, when even the next level does not fit); <see cref="int.MaxValue"/> when the whole tree fits.
    /// </summary>
    private static int DepthThatFits(List<HierarchyEntry> entries, int rows)
    {
        var perDepth = new int[GoalHierarchy.MaxDepth + 2];
        foreach (var entry in entries) perDepth[entry.Depth]++;
        var total = 0;
        for (var depth = 0; depth < perDepth.Length && perDepth[depth] > 0; depth++)
        {
            total += perDepth[depth];
            if (total > rows) return Math.Max(depth - 1, 0);
        }

        return int.MaxValue;
    }

    /// <summary>What the filters match on: owner, health, level and the searchable text, lower-cased.</summary>
    private static void WriteFilterData(StringBuilder html, EvaluatedTree tree, GoalDefinition goal)
    {
        var result = tree.ResultOf(goal.Id);
        html.Append(" data-owner=\"").Append(E(goal.Owner ?? string.Empty))
            .Append("\" data-health=\"").Append(result?.Health.Name() ?? string.Empty)
            .Append("\" data-level=\"").Append((result?.Level ?? goal.Level)?.Name() ?? string.Empty)
            .Append("\" data-text=\"").Append(E($"{goal.Id} {goal.Title}".ToLowerInvariant())).Append('"');
    }

    /// <summary>The search box and a choice per owner, health and level among the goals listed.</summary>
    private static void WriteFilters(StringBuilder html, EvaluatedTree tree, IReadOnlyList<GoalDefinition> listed)
    {
        static void Select(StringBuilder html, string id, string label, IEnumerable<string> values)
        {
            html.Append("<label>").Append(label).Append(" <select id=\"").Append(id).Append("\"><option value=\"\">all</option>");
            foreach (var value in values) html.Append("<option>").Append(E(value)).Append("</option>");
            html.Append("</select></label>\n");
        }

        html.Append("<form class=\"filters\" id=\"filters\" onsubmit=\"return false\">\n<label>search <input id=\"search\" type=\"search\" placeholder=\"id or title\"></label>\n");
        Select(html, "filter-owner", "owner", listed.Select(g => g.Owner).OfType<string>().Where(o => o.Length > 0).Distinct().Order(StringComparer.Ordinal));
        var results = listed.Select(g => tree.ResultOf(g.Id)).OfType<GoalResult>().ToList();
        Select(html, "filter-health", "health", results.Select(g => g.Health).Distinct().Order().Select(h => h.Name()));
        Select(html, "filter-level", "level", results.Select(g => g.Level).OfType<GoalLevel>().Distinct().Order().Select(l => l.Name()));
        html.Append("<span class=\"muted\" id=\"filter-count\"></span>\n</form>\n");
        if (listed.Count < tree.Goals.Count)
        {
            html.Append("<p class=\"muted\" id=\"listed\">").Append(listed.Count.ToString("N0", CultureInfo.InvariantCulture)).Append(" of ")
                .Append(tree.Goals.Count.ToString("N0", CultureInfo.InvariantCulture)).Append(" goals listed here (the top levels); the filters search those.</p>\n");
        }
    }

    private static void WriteGoal(StringBuilder html, EvaluatedTree tree, GoalDefinition goal, int depth, int below, IReadOnlyDictionary<string, string> nodes, ReportTrend? trend)
    {
        var result = tree.ResultOf(goal.Id);
        var health = result?.Health ?? Health.Inactive;
        html.Append("<span class=\"goal\" id=\"goal-").Append(nodes[goal.Id]).Append("\" data-goal=\"").Append(E(goal.Id))
            .Append("\" style=\"--d:").Append(depth.ToString(CultureInfo.InvariantCulture)).Append(";background:").Append(HealthColours.Fill(health))
            .Append(";border-color:").Append(HealthColours.Stroke(health)).Append("\">");
        html.Append("<span class=\"name\"><span class=\"gid\">").Append(E(goal.Id)).Append("</span>");
        if (goal.Title is { Length: > 0 } title) html.Append("<span class=\"title\" title=\"").Append(E(title)).Append("\">").Append(E(title)).Append("</span>");
        if (below > 0) html.Append("<span class=\"count\">").Append(below.ToString("N0", CultureInfo.InvariantCulture)).Append(" below</span>");
        html.Append("</span>");
        if (result is not null)
        {
            var progress = Css(result.Progress);
            html.Append("<span class=\"bar\" title=\"progress ").Append(GoalLabel.Percent(result.Progress));
            if (result.Expected is { } expected) html.Append(", expected ").Append(GoalLabel.Percent(expected));
            html.Append("\"><span class=\"fill\" style=\"width:").Append(progress).Append("%;background:").Append(HealthColours.Stroke(health)).Append("\"></span>");
            if (result.Expected is { } pace) html.Append("<span class=\"pace\" style=\"left:").Append(Css(pace)).Append("%\"></span>");
            html.Append("</span><span class=\"pct\">").Append(GoalLabel.Percent(result.Progress)).Append("</span>");
            html.Append("<span class=\"value\">").Append(E(MetricValue(goal.Metric, result.Attainment))).Append("</span>");
            html.Append("<span class=\"health\">").Append(health.Name());
            if (result.Expected is { } behind && result.Counted) html.Append(" · ").Append(Pace(result.Progress, behind));
            html.Append("</span>");
            html.Append("<span class=\"trend\">");
            if (trend?.Change(goal.Id, result.Progress) is { } points) html.Append(Trend(points, trend.Since));
            html.Append("</span>");
        }
        else
        {
            html.Append("<span class=\"muted\">no roll-up</span><span></span><span></span><span></span><span></span>");
        }

        html.Append("<span>");
        if (goal.State != GoalState.Active) html.Append("<span class=\"muted\">").Append(goal.State.Name()).Append("</span> ");
        if (goal.Owner is { Length: > 0 } owner) html.Append("<span class=\"muted\">owner ").Append(E(owner)).Append("</span> ");
        var others = goal.Parents.Skip(1).Where(p => nodes.ContainsKey(p.ParentId)).ToArray();
        if (others.Length > 0)
        {
            html.Append("<span class=\"muted\">also aligned to ");
            html.AppendJoin(", ", others.Select(p => $"<a href=\"#goal-{nodes[p.ParentId]}\">{E(p.ParentId)}</a>"));
            html.Append("</span> ");
        }

        foreach (var (finding, index) in tree.FindingsOf(goal.Id).Select(f => (f, tree.IndexOf(f))))
        {
            // A mark links to its row of the findings table, when the table lists it.
            html.Append("<a class=\"mark sev-").Append(finding.Severity.Name()).Append('"');
            if (index < MaxTableRows) html.Append(" href=\"#finding-").Append(index.ToString(CultureInfo.InvariantCulture)).Append('"');
            html.Append(" title=\"").Append(E(finding.Message)).Append("\">").Append(GoalLabel.FindingMark).Append(' ').Append(finding.Code.Name()).Append("</a> ");
        }

        html.Append("</span></span>");
    }

    /// <summary>
    /// A key result's value against its target with the unit: "38 of 50 M$"; a milestone's "done" or "not done".
    /// With no check-in the value is the start (semantics.md); a cascaded sum's value is read back from its
    /// attainment (for increase and decrease, value = start + attainment × (target − start)).
    /// </summary>
    internal static string MetricValue(Metric? metric, double attainment)
    {
        if (metric is null) return string.Empty;
        if (metric.Direction == MetricDirection.Milestone) return metric.Current is 1 ? "done" : "not done";
        var unit = metric.Unit is { Length: > 0 } u ? " " + u : string.Empty;
        if (metric.Target is not { } target) return string.Empty;
        double? value = metric.Aggregates && metric.Direction is MetricDirection.Increase or MetricDirection.Decrease
            ? metric.Start + (attainment * (target - metric.Start))
            : metric.Current ?? (metric.Direction is MetricDirection.Increase or MetricDirection.Decrease ? metric.Start : null);
        return value is { } v ? $"{Number(v)} of {Number(target)}{unit}" : $"target {Number(target)}{unit}";
    }

    /// <summary>A value as people write it: whole above 100, two decimals at most below.</summary>
    private static string Number(double value) => value.ToString(Math.Abs(value) >= 100 ? "#,0" : "#,0.##", CultureInfo.InvariantCulture);

    private static string Trend(double points, string since)
    {
        var rounded = Math.Round(points * 100, 1, MidpointRounding.AwayFromZero);
        var (css, sign) = rounded switch { > 0 => ("up", "▲ +"), < 0 => ("down", "▼ "), _ => ("muted", "= ") };
        return $"<span class=\"{css}\" title=\"change in progress since {E(since)}\">{sign}{rounded.ToString("0.#", CultureInfo.InvariantCulture)} pts</span>";
    }

    private static void WriteFindings(StringBuilder html, EvaluatedTree tree, IReadOnlyDictionary<string, string> nodes)
    {
        html.Append("<section id=\"findings\">\n<h2>Findings</h2>\n");
        if (tree.Report.Findings.Count == 0)
        {
            html.Append("<p>No findings.</p>\n</section>\n");
            return;
        }

        string Link(string id) => nodes.TryGetValue(id, out var node) ? $"<a href=\"#goal-{node}\">{E(id)}</a>" : E(id);

        html.Append("<table>\n<thead><tr><th>severity</th><th>code</th><th>goal</th><th>related</th><th>message</th></tr></thead>\n<tbody>\n");
        var listed = Math.Min(tree.Report.Findings.Count, MaxTableRows);
        for (var i = 0; i < listed; i++)
        {
            var finding = tree.Report.Findings[i];
            html.Append("<tr id=\"finding-").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\"><td class=\"sev-").Append(finding.Severity.Name()).Append("\">")
                .Append(finding.Severity.Name()).Append("</td><td title=\"").Append(E(FindingDescriptions.Of(finding.Code))).Append("\">")
                .Append(finding.Code.Name()).Append("</td><td>").Append(finding.Goal.Length == 0 ? "(document)" : Link(finding.Goal))
                .Append("</td><td>").AppendJoin(", ", finding.Related.Select(Link)).Append("</td><td>").Append(E(finding.Message)).Append("</td></tr>\n");
        }

        if (listed < tree.Report.Findings.Count) MoreRows(html, tree.Report.Findings.Count - listed, 5, "findings (okr validate --format json lists them all)");
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void WriteCoverage(StringBuilder html, EvaluatedTree tree)
    {
        html.Append("<section id=\"coverage\">\n<h2>Coverage</h2>\n");
        if (tree.Coverage is not { } coverage)
        {
            html.Append("<p>Not computed: the tree is invalid.</p>\n</section>\n");
            return;
        }

        html.Append("<p id=\"coverage-overall\">").Append(Figures(coverage.Overall)).Append(" counted goals are anchored to a company goal.</p>\n");
        WriteCoverageTable(html, "coverage-levels", "level", coverage.Levels.Select(l => (l.Level?.Name() ?? "(none)", l.Figures)));
        WriteCoverageTable(html, "coverage-owners", "owner", coverage.Owners.Select(o => (o.Owner, o.Figures)));
        html.Append("</section>\n");
    }

    private static void WriteCoverageTable(StringBuilder html, string id, string heading, IEnumerable<(string Name, CoverageFigures Figures)> rows)
    {
        html.Append("<table id=\"").Append(id).Append("\">\n<thead><tr><th>").Append(heading)
            .Append("</th><th>anchored</th><th>counted</th><th>coverage</th></tr></thead>\n<tbody>\n");
        var count = 0;
        foreach (var (name, figures) in rows)
        {
            if (++count > MaxTableRows) continue;
            var health = figures.Anchored == figures.Counted ? Health.OnTrack : Health.OffTrack;
            html.Append("<tr><td>").Append(E(name)).Append("</td><td>").Append(figures.Anchored.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(figures.Counted.ToString(CultureInfo.InvariantCulture)).Append("</td><td>")
                .Append("<span class=\"bar\"><span class=\"fill\" style=\"width:").Append(Css(figures.Ratio)).Append("%;background:")
                .Append(HealthColours.Stroke(health)).Append("\"></span></span> ").Append(GoalLabel.Percent(figures.Ratio)).Append("</td></tr>\n");
        }

        if (count > MaxTableRows) MoreRows(html, count - MaxTableRows, 4, heading + "s");
        html.Append("</tbody>\n</table>\n");
    }

    private static void MoreRows(StringBuilder html, int more, int columns, string what) =>
        html.Append("<tr class=\"more\"><td colspan=\"").Append(columns.ToString(CultureInfo.InvariantCulture)).Append("\">… ")
            .Append(more.ToString("N0", CultureInfo.InvariantCulture)).Append(" more ").Append(E(what)).Append("</td></tr>\n");

    private static string Figures(CoverageFigures figures) =>
        $"{GoalLabel.Percent(figures.Ratio)}: {figures.Anchored.ToString(CultureInfo.InvariantCulture)} of {figures.Counted.ToString(CultureInfo.InvariantCulture)}";

    private static string FindingCounts(IReadOnlyList<Finding> findings) =>
        string.Join(", ", Enum.GetValues<Severity>().Select(s =>
            $"<span class=\"sev-{s.Name()}\">{ScenarioWriters.Plural(findings.Count(f => f.Severity == s), s.Name()).Replace("infos", "info", StringComparison.Ordinal)}</span>"));

    /// <summary>Progress against pace in percentage points, the number a reader compares.</summary>
    private static string Pace(double progress, double expected)
    {
        var points = Math.Round((progress - expected) * 100, MidpointRounding.AwayFromZero);
        return points switch
        {
            > 0 => $"{points.ToString("0", CultureInfo.InvariantCulture)} pts ahead of pace",
            < 0 => $"{(-points).ToString("0", CultureInfo.InvariantCulture)} pts behind pace",
            _ => "on pace",
        };
    }

    /// <summary>A fraction as a CSS percentage, invariant and clamped.</summary>
    private static string Css(double fraction) => (Math.Clamp(fraction, 0, 1) * 100).ToString("0.##", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

using AlignmentEngine.Api.V1;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Service.Tests;

public sealed class ReadTests : ServerFixture
{
    // The dates asked about (2026-11-15) must not be in the past: a past as_of is answered from history, before
    // these tenants were imported. A clock before them keeps them "today or later" whenever the tests run.
    protected override TimeProvider Clock { get; } = new FixedClock(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task ListGoals_PagesAndFilters_ReturnEveryMatchOnceInIdOrder()
    {
        await ImportAsync("list", ReadTree(Path.Combine(RepoPaths.Conformance, "02-priority-shift.yaml")));
        var ids = new List<string>();
        var request = new ListGoalsRequest { Parent = "tenants/list", PageSize = 3, AsOf = Date(2026, 11, 15) };
        do
        {
            var page = await Client.ListGoalsAsync(request);
            page.TotalSize.Should().Be(10);
            ids.AddRange(page.Goals.Select(g => g.GoalId));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        var offTrack = await Client.ListGoalsAsync(new ListGoalsRequest { Parent = "tenants/list", Health = Api.V1.Health.OffTrack, AsOf = Date(2026, 11, 15) });
        var departments = await Client.ListGoalsAsync(new ListGoalsRequest { Parent = "tenants/list", Level = Api.V1.GoalLevel.Department });

        ids.Should().Equal("C1", "C1.KR1", "C2", "C2.KR1", "DRAFT", "LONE", "MKT", "MKT.KR1", "OPS", "OPS.KR1");
        offTrack.Goals.Select(g => g.GoalId).Should().Equal("LONE");
        departments.Goals.Select(g => g.GoalId).Should().Equal("MKT", "MKT.KR1", "OPS", "OPS.KR1");
    }

    [Test]
    public async Task ListGoals_FilteredPages_CountEveryMatchAndContinueAfterTheToken()
    {
        await ImportAsync("list-filtered", ReadTree(Path.Combine(RepoPaths.Conformance, "03-conflicts.yaml")));
        var ids = new List<string>();
        var request = new ListGoalsRequest { Parent = "tenants/list-filtered", PageSize = 2, State = Api.V1.GoalState.Active, Level = Api.V1.GoalLevel.Department };
        do
        {
            var page = await Client.ListGoalsAsync(request);
            page.TotalSize.Should().Be(4);
            ids.AddRange(page.Goals.Select(g => g.GoalId));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        var owned = await Client.ListGoalsAsync(new ListGoalsRequest { Parent = "tenants/list-filtered", Owner = "cfo" });

        ids.Should().Equal("FIN", "FIN.KR1", "HR", "HR.KR1");
        owned.Goals.Select(g => g.GoalId).Should().Equal("FIN");
        owned.TotalSize.Should().Be(1);
    }

    [Test]
    public async Task GetRollup_WeightedChildren_SharesAddUpToTheValue()
    {
        await ImportAsync("rollup", ReadTree(Path.Combine(RepoPaths.Conformance, "01-basic-rollup.yaml")));

        var rollup = await Client.GetRollupAsync(new GetRollupRequest { Name = "tenants/rollup/goals/C1", AsOf = Date(2026, 11, 15) });

        rollup.Source.Should().Be("children");
        rollup.Status.Progress.Should().BeApproximately(0.38, 1e-12);
        rollup.Contributions.Select(c => (c.Child.GoalId, c.Weight)).Should().Equal(("C1.KR1", 1.0), ("C1.KR2", 3.0), ("C1.KR3", 1.0));
        rollup.Contributions.Sum(c => c.Share).Should().BeApproximately(rollup.Status.Progress, 1e-12);
    }

    [Test]
    public async Task GetTreeAndAnalyze_Subtree_AreLimitedToIt()
    {
        await ImportAsync("tree", ReadTree(Path.Combine(RepoPaths.Conformance, "02-priority-shift.yaml")));

        var tree = await Client.GetTreeAsync(new GetTreeRequest { Name = "tenants/tree/goals/C2", MaxDepth = 1 });
        var deep = await Client.GetTreeAsync(new GetTreeRequest { Name = "tenants/tree/goals/C2", MaxDepth = 5 });
        var analysis = await Client.AnalyzeAlignmentAsync(new AnalyzeAlignmentRequest
        {
            Parent = "tenants/tree",
            SubtreeGoalId = "OPS",
            Codes = { Api.V1.FindingCode.OrphanedGoal },
            AsOf = Date(2026, 11, 15),
        });

        tree.Nodes.Select(n => (n.Goal.GoalId, n.Depth)).Should().Equal(("C2", 0), ("C2.KR1", 1), ("MKT", 1), ("OPS", 1));
        tree.Truncated.Should().BeTrue();
        deep.Nodes.Select(n => n.Goal.GoalId).Should().Equal("C2", "C2.KR1", "MKT", "MKT.KR1", "OPS", "OPS.KR1");
        analysis.Findings.Select(f => f.GoalId).Should().Equal("OPS", "OPS.KR1");
        analysis.Coverage.Counted.Should().Be(8);
        analysis.Coverage.Anchored.Should().Be(4);
    }

    [Test]
    public async Task ExportTree_ThenImportElsewhere_IsLossless()
    {
        await ImportAsync("export-a", ReadTree(Path.Combine(RepoPaths.Conformance, "05-cascaded-sums.yaml")));
        await Client.ApplyChangesAsync(Changes("export-a", CheckIn("EMEA", 15)));

        var first = await ExportAsync("export-a");
        await ImportAsync("export-b", new Api.V1.GoalTree { Settings = first.Settings, Goals = { first.Goals } });
        var second = await ExportAsync("export-b");

        second.Goals.Select(g => g.ToString().Replace("export-b", "export-a", StringComparison.Ordinal))
            .Should().Equal(first.Goals.Select(g => g.ToString()));
        second.Settings.Should().Be(first.Settings);
    }

    private async Task<(TreeSettings Settings, List<Api.V1.Goal> Goals)> ExportAsync(string tenant)
    {
        using var call = Client.ExportTree(new ExportTreeRequest { Parent = $"tenants/{tenant}" });
        TreeSettings? settings = null;
        var goals = new List<Api.V1.Goal>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            settings ??= call.ResponseStream.Current.Settings;
            goals.AddRange(call.ResponseStream.Current.Goals);
        }

        return (settings!, goals);
    }
}

using AlignmentEngine.Api.V1;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Service.Tests;

public sealed class ReadTests : ServerFixture
{
    // The date asked about (2026-11-15) is as_of, when pace and health are judged, and nothing more: on the real clock,
    // in the past or not, it reads the tenants as they stand.

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
    public async Task GetRollupAndGetTree_WideGoal_PagedWithTotalsAndEveryChildOnce()
    {
        const int Children = 2_500;
        var tree = new Api.V1.GoalTree();
        tree.Goals.Add(Objective("C", Api.V1.GoalLevel.Company));
        tree.Goals.AddRange(Enumerable.Range(0, Children).Select(k => KeyResult($"K{k:D5}", "C", 0, 10, k % 10)));
        await ImportAsync("wide", tree, chunk: 500);

        var parts = new List<string>();
        var rollup = new GetRollupRequest { Name = "tenants/wide/goals/C", AsOf = Date(2026, 11, 15) };
        var pages = 0;
        do
        {
            var page = await Client.GetRollupAsync(rollup);
            page.TotalSize.Should().Be(Children);
            page.Contributions.Count.Should().BeLessThanOrEqualTo(1000, "the default page");
            parts.AddRange(page.Contributions.Select(c => c.Child.GoalId));
            rollup.PageToken = page.NextPageToken;
            pages++;
        }
        while (rollup.PageToken.Length > 0);

        var nodes = new List<string>();
        var request = new GetTreeRequest { Name = "tenants/wide/goals/C", PageSize = 1200 };
        do
        {
            var page = await Client.GetTreeAsync(request);
            page.TotalSize.Should().Be(Children + 1);
            nodes.AddRange(page.Nodes.Select(n => n.Goal.GoalId));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        pages.Should().Be(3);
        parts.Should().Equal(Enumerable.Range(0, Children).Select(k => $"K{k:D5}"));
        nodes.Should().Equal(["C", .. parts]);
    }

    [Test]
    public async Task GetTree_PageTokenOfAnEarlierVersion_IsAborted()
    {
        await ImportAsync("tree-pages", ReadTree(Path.Combine(RepoPaths.Conformance, "02-priority-shift.yaml")));
        var first = await Client.GetTreeAsync(new GetTreeRequest { Name = "tenants/tree-pages/goals/C2", MaxDepth = 5, PageSize = 2 });
        await Client.ApplyChangesAsync(Changes("tree-pages", CheckIn("OPS.KR1", 1)));

        var error = Assert.ThrowsAsync<Grpc.Core.RpcException>(() =>
            Client.GetTreeAsync(new GetTreeRequest { Name = "tenants/tree-pages/goals/C2", MaxDepth = 5, PageSize = 2, PageToken = first.NextPageToken }).ResponseAsync)!;

        first.Nodes.Select(n => n.Goal.GoalId).Should().Equal("C2", "C2.KR1");
        error.StatusCode.Should().Be(Grpc.Core.StatusCode.Aborted, "a position in a depth-first order means nothing in another version");
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

using AlignmentEngine.Api.V1;
using Grpc.Core;

namespace AlignmentEngine.Service.Tests;

public sealed class ChangeTests : ServerFixture
{
    protected override void Configure(AlignmentServiceOptions options)
    {
        options.MaxChangesPerRequest = 50;
        options.MaxGoalsPerTenant = 20;
    }

    [Test]
    public async Task ApplyChanges_CheckIn_ReturnsNewVersionAndMovedGoals()
    {
        var version = await SeedCompanyAsync("apply");

        var response = await Client.ApplyChangesAsync(Changes("apply", CheckIn("KR2", 10)));

        response.Version.Should().Be(version + 1);
        response.Outcome.Goals.Select(g => (g.GoalId, g.Before.Progress, g.After.Progress)).Should().Equal(("C1", 0.25, 0.75), ("KR2", 0.0, 1.0));
    }

    [Test]
    public async Task SimulateChanges_ArchiveCompanyObjective_ReportsOrphansAndWritesNothing()
    {
        var version = await SeedCompanyAsync("simulate");
        var request = new SimulateChangesRequest { Parent = "tenants/simulate", AsOf = Date(2026, 11, 15) };
        request.Changes.Add(Archive("C1"));

        var response = await Client.SimulateChangesAsync(request);

        response.Version.Should().Be(version);
        response.Outcome.FindingsAppeared.Select(f => $"{f.Code} {f.GoalId}").Should().Equal(
            "ExcludedParent KR1", "ExcludedParent KR2", "OrphanedGoal KR1", "OrphanedGoal KR2");
        var after = await Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/simulate/goals/C1" });
        after.Goal.State.Should().Be(Api.V1.GoalState.Active, "a simulation writes nothing");
    }

    [Test]
    public async Task SimulateChanges_MaxListed_ListsTheFirstEntriesAndCountsEveryOne()
    {
        await SeedCompanyAsync("listed");
        SimulateChangesRequest ArchiveC1(int maxListed)
        {
            var request = new SimulateChangesRequest { Parent = "tenants/listed", AsOf = Date(2026, 11, 15), MaxListed = maxListed };
            request.Changes.Add(Archive("C1"));
            return request;
        }

        var whole = (await Client.SimulateChangesAsync(ArchiveC1(0))).Outcome;
        var cut = (await Client.SimulateChangesAsync(ArchiveC1(1))).Outcome;

        whole.Truncated.Should().BeFalse();
        whole.GoalsTotal.Should().Be(whole.Goals.Count);
        whole.AppearedCounts.Select(c => (c.Code, c.Count)).Should().Equal((FindingCode.OrphanedGoal, 2), (FindingCode.ExcludedParent, 2));
        cut.Truncated.Should().BeTrue();
        cut.Goals.Should().Equal(whole.Goals.Take(1));
        cut.FindingsAppeared.Should().Equal(whole.FindingsAppeared.Take(1));
        cut.GoalsTotal.Should().Be(whole.Goals.Count, "the total counts every goal, listed or not");
        cut.AppearedCounts.Should().Equal(whole.AppearedCounts, "counts by code are complete whatever is listed");
    }

    [Test]
    public async Task ApplyChanges_NegativeMaxListed_InvalidArgumentAndNothingWritten()
    {
        var version = await SeedCompanyAsync("listed-bad");
        var request = Changes("listed-bad", CheckIn("KR2", 10));
        request.MaxListed = -1;

        var error = Assert.ThrowsAsync<RpcException>(() => Client.ApplyChangesAsync(request).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        error.GetRpcStatus()!.Details.Single().Unpack<Google.Rpc.BadRequest>().FieldViolations.Single().Field.Should().Be("max_listed");
        (await Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/listed-bad/goals/C1" })).Version.Should().Be(version, "nothing was written");
    }

    [Test]
    public async Task ApplyChanges_ConcurrentWritersWithExpectedVersion_ExactlyOneWinsAndNoUpdateIsLost()
    {
        await SeedCompanyAsync("race");
        await Client.ApplyChangesAsync(Changes("race", Upsert(KeyResult("COUNT", "C1", 0, 100, 0))));
        const int writers = 8;

        // Every writer reads, adds one, and writes with the version it read; on ABORTED it reads again.
        var attempts = await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => IncrementAsync()));

        var count = (await Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/race/goals/COUNT" })).Goal.Metric.Current;
        count.Should().Be(writers, "no increment may be lost");
        attempts.Sum().Should().BeGreaterThanOrEqualTo(writers);

        async Task<int> IncrementAsync()
        {
            for (var attempt = 1; ; attempt++)
            {
                var read = await Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/race/goals/COUNT" });
                var request = Changes("race", CheckIn("COUNT", read.Goal.Metric.Current + 1));
                request.ExpectedVersion = read.Version;
                try
                {
                    await Client.ApplyChangesAsync(request);
                    return attempt;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Aborted)
                {
                    // Somebody else wrote in between: read again.
                }
            }
        }
    }

    [Test]
    public async Task ApplyChanges_SameExpectedVersionFromManyWriters_ExactlyOneWins()
    {
        var version = await SeedCompanyAsync("once");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async w =>
        {
            var request = Changes("once", CheckIn("KR1", w));
            request.ExpectedVersion = version;
            try
            {
                await Client.ApplyChangesAsync(request);
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }));

        outcomes.Count(o => o == StatusCode.OK).Should().Be(1);
        outcomes.Count(o => o == StatusCode.Aborted).Should().Be(7);
    }
}

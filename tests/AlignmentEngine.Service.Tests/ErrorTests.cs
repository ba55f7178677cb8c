using AlignmentEngine.Api.V1;
using Grpc.Core;
using Google.Rpc;

namespace AlignmentEngine.Service.Tests;

/// <summary>Bad requests get the right status, the field and the goal, and change nothing.</summary>
public sealed class ErrorTests : ServerFixture
{
    protected override void Configure(AlignmentServiceOptions options)
    {
        options.MaxChangesPerRequest = 5;
        options.MaxGoalsPerTenant = 4;
    }

    [Test]
    public async Task ApplyChanges_MalformedGoals_InvalidArgumentNamesEveryField()
    {
        var version = await SeedCompanyAsync("bad-shape");
        var noType = new Api.V1.Goal { GoalId = "X" };
        var badId = Objective("has\ncontrol");
        var noDirection = KeyResult("Y", "C1", 0, 1);
        noDirection.Metric.Direction = MetricDirection.Unspecified;

        var error = Assert.ThrowsAsync<RpcException>(() => Client.ApplyChangesAsync(Changes("bad-shape", Upsert(noType), Upsert(badId), Upsert(noDirection))).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        error.GetRpcStatus()!.Details.Single().Unpack<BadRequest>().FieldViolations.Select(v => v.Field).Should().Equal(
            "changes[0].upsert_goal.type", "changes[1].upsert_goal.goal_id", "changes[2].upsert_goal.metric.direction");
        (await Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/bad-shape/goals/C1" })).Version.Should().Be(version, "nothing was written");
    }

    [Test]
    public async Task ApplyChanges_CycleAndBadWeight_FailedPreconditionWithTheFindings()
    {
        await SeedCompanyAsync("bad-tree");
        var cycle = new Api.V1.GoalChange { AddEdge = new AddEdge { GoalId = "C1", Link = new Api.V1.ParentLink { ParentGoalId = "KR1" } } };

        var error = Assert.ThrowsAsync<RpcException>(() => Client.ApplyChangesAsync(Changes("bad-tree", CheckIn("KR1", 9), cycle)).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.FailedPrecondition);
        error.Status.Detail.Should().StartWith("changes[1]: ");
        var violation = error.GetRpcStatus()!.Details.Single().Unpack<PreconditionFailure>().Violations.Single();
        violation.Type.Should().Be("ALIGNMENT_CYCLE");
        violation.Subject.Should().Be("C1 (KR1)");
        (await Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/bad-tree/goals/KR1" })).Goal.Metric.Current.Should().Be(5, "the check-in before the refused edge is not applied");
    }

    [Test]
    public async Task ApplyChanges_UnknownGoalAndUnknownTenant_AreNotFound()
    {
        await SeedCompanyAsync("missing");

        Assert.ThrowsAsync<RpcException>(() => Client.ApplyChangesAsync(Changes("missing", CheckIn("NOPE", 1))).ResponseAsync)!
            .StatusCode.Should().Be(StatusCode.NotFound);
        Assert.ThrowsAsync<RpcException>(() => Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/nobody/goals/C1" }).ResponseAsync)!
            .StatusCode.Should().Be(StatusCode.NotFound);
    }

    [Test]
    public async Task Limits_ChangeSetAndTenantSize_AreResourceExhaustedNamingTheLimit()
    {
        await SeedCompanyAsync("limits");

        var tooMany = Assert.ThrowsAsync<RpcException>(() => Client.ApplyChangesAsync(Changes("limits", [.. Enumerable.Repeat(CheckIn("KR1", 1), 6)])).ResponseAsync)!;
        var tooBig = Assert.ThrowsAsync<RpcException>(() => Client.ApplyChangesAsync(Changes("limits", Upsert(KeyResult("KR3", "C1", 0, 1)), Upsert(KeyResult("KR4", "C1", 0, 1)))).ResponseAsync)!;

        tooMany.StatusCode.Should().Be(StatusCode.ResourceExhausted);
        tooMany.Status.Detail.Should().Contain("max_changes_per_request").And.Contain("okr serve --max-changes-per-request");
        tooBig.StatusCode.Should().Be(StatusCode.ResourceExhausted);
        tooBig.Status.Detail.Should().Contain("max_goals_per_tenant").And.Contain("okr serve --max-goals-per-tenant");
    }

    [TestCase("tenant/acme")]
    [TestCase("tenants/ACME")]
    [TestCase("tenants/")]
    public void AnyRpc_MalformedTenantName_IsInvalidArgumentOnTheField(string parent)
    {
        var error = Assert.ThrowsAsync<RpcException>(() => Client.ListGoalsAsync(new ListGoalsRequest { Parent = parent }).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        error.GetRpcStatus()!.Details.Single().Unpack<BadRequest>().FieldViolations.Single().Field.Should().Be("parent");
    }

    [Test]
    public async Task Tenants_SameGoalIds_NeverSeeEachOther()
    {
        await SeedCompanyAsync("tenant-a");
        await SeedCompanyAsync("tenant-b");

        await Client.ApplyChangesAsync(Changes("tenant-a", CheckIn("KR1", 10)));

        (await Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/tenant-a/goals/KR1" })).Goal.Status.Progress.Should().Be(1);
        (await Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/tenant-b/goals/KR1" })).Goal.Status.Progress.Should().Be(0.5);
    }
}

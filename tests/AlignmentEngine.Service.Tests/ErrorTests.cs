using AlignmentEngine.Api.V1;
using Google.Protobuf;
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
    public async Task ApplyChanges_ValuesWrongWhateverTheState_InvalidArgumentNamingEachField()
    {
        var version = await SeedCompanyAsync("bad-values");
        var goal = KeyResult("Y", "C1", double.NaN, 1);
        goal.Parents[0].Weight = 0;
        goal.ProgressOverride = 1.5;

        var error = Assert.ThrowsAsync<RpcException>(() => Client.ApplyChangesAsync(Changes("bad-values",
            Upsert(goal),
            new Api.V1.GoalChange { SetWeight = new SetWeight { GoalId = "KR1", ParentGoalId = "C1", Weight = -1 } },
            CheckIn("KR1", double.PositiveInfinity),
            new Api.V1.GoalChange { SetOverride = new SetOverride { GoalId = "C1", ProgressOverride = -0.5 } })).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        error.GetRpcStatus()!.Details.Single().Unpack<BadRequest>().FieldViolations.Select(v => v.Field).Should().Equal(
            "changes[0].upsert_goal.progress_override", "changes[0].upsert_goal.metric.start", "changes[0].upsert_goal.parents[0].weight",
            "changes[1].set_weight.weight", "changes[2].check_in.value", "changes[3].set_override.progress_override");
        (await Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/bad-values/goals/C1" })).Version.Should().Be(version, "nothing was written");
    }

    [Test]
    public async Task RecordCheckIns_EmptyOrNotFinite_InvalidArgumentOnItsOwnFields_AndCommitsNothing()
    {
        var version = await SeedCompanyAsync("checkins");
        var notFinite = new RecordCheckInsRequest { Parent = "tenants/checkins" };
        notFinite.CheckIns.Add(new Api.V1.CheckIn { GoalId = "KR1", Value = 1 });
        notFinite.CheckIns.Add(new Api.V1.CheckIn { GoalId = "KR2", Value = double.NaN });

        var empty = Assert.ThrowsAsync<RpcException>(() => Client.RecordCheckInsAsync(new RecordCheckInsRequest { Parent = "tenants/checkins" }).ResponseAsync)!;
        var nan = Assert.ThrowsAsync<RpcException>(() => Client.RecordCheckInsAsync(notFinite).ResponseAsync)!;

        empty.StatusCode.Should().Be(StatusCode.InvalidArgument);
        empty.GetRpcStatus()!.Details.Single().Unpack<BadRequest>().FieldViolations.Single().Field.Should().Be("check_ins");
        nan.StatusCode.Should().Be(StatusCode.InvalidArgument);
        nan.GetRpcStatus()!.Details.Single().Unpack<BadRequest>().FieldViolations.Single().Field.Should().Be("check_ins[1].value");
        (await Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/checkins/goals/C1" })).Version.Should().Be(version, "no empty version was committed");
    }

    [Test]
    public async Task RecordCheckIns_StateConflictsAndMissingGoals_NameTheCheckInNotAChange()
    {
        await SeedCompanyAsync("checkin-state");
        var noMetric = new RecordCheckInsRequest { Parent = "tenants/checkin-state" };
        noMetric.CheckIns.Add(new Api.V1.CheckIn { GoalId = "KR1", Value = 1 });
        noMetric.CheckIns.Add(new Api.V1.CheckIn { GoalId = "C1", Value = 1 });
        var missing = new RecordCheckInsRequest { Parent = "tenants/checkin-state" };
        missing.CheckIns.Add(new Api.V1.CheckIn { GoalId = "NOPE", Value = 1 });

        var conflict = Assert.ThrowsAsync<RpcException>(() => Client.RecordCheckInsAsync(noMetric).ResponseAsync)!;
        var notFound = Assert.ThrowsAsync<RpcException>(() => Client.RecordCheckInsAsync(missing).ResponseAsync)!;

        conflict.StatusCode.Should().Be(StatusCode.FailedPrecondition, "C1 has no metric: its state, not the value, refuses the check-in");
        conflict.Status.Detail.Should().StartWith("check_ins[1]: ");
        notFound.StatusCode.Should().Be(StatusCode.NotFound);
        notFound.Status.Detail.Should().StartWith("check_ins[0]: ");
        var resource = notFound.GetRpcStatus()!.Details.Single().Unpack<ResourceInfo>();
        resource.ResourceType.Should().Be("okr.alignment.v1.Goal");
        resource.ResourceName.Should().Be("tenants/checkin-state/goals/NOPE");
    }

    [Test]
    public void GetGoal_UnknownGoalAndTenant_NotFoundCarriesResourceInfo()
    {
        var goal = Assert.ThrowsAsync<RpcException>(() => Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/nobody/goals/C1" }).ResponseAsync)!;

        goal.StatusCode.Should().Be(StatusCode.NotFound);
        var resource = goal.GetRpcStatus()!.Details.Single().Unpack<ResourceInfo>();
        resource.ResourceType.Should().Be("okr.alignment.v1.Tenant");
        resource.ResourceName.Should().Be("tenants/nobody");
    }

    [TestCase((byte)0xFF)]
    [TestCase((byte)0xFE)]
    public async Task ApplyChanges_GoalIdNotUtf8_InvalidArgumentOnTheField_NothingStored(byte bad)
    {
        // The bytes 58 xx ("X" and a byte no UTF-8 text holds): replaced on decoding, both would become "X\uFFFD".
        var valid = Changes("utf8", Upsert(Objective("X!", Api.V1.GoalLevel.Company))).ToByteArray();
        var at = valid.AsSpan().IndexOf("X!"u8) + 1;
        valid[at] = bad;
        var method = new Method<byte[], ApplyChangesResponse>(MethodType.Unary, "okr.alignment.v1.AlignmentService", "ApplyChanges",
            Marshallers.Create(b => b, b => b), Marshallers.Create((ApplyChangesResponse r) => r.ToByteArray(), ApplyChangesResponse.Parser.ParseFrom));

        var error = Assert.ThrowsAsync<RpcException>(() => Channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, valid).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        error.GetRpcStatus()!.Details.Single().Unpack<BadRequest>().FieldViolations.Single().Field.Should().Be("changes[0].upsert_goal.goal_id");
        Assert.ThrowsAsync<RpcException>(() => Client.ListGoalsAsync(new ListGoalsRequest { Parent = "tenants/utf8" }).ResponseAsync)!
            .StatusCode.Should().Be(StatusCode.NotFound, "nothing was stored");
    }

    [Test]
    public async Task ApplyChanges_StringsOverTheirLimits_InvalidArgument()
    {
        await SeedCompanyAsync("long-strings");
        var goal = Objective("L");
        goal.Title = new string('t', 501);
        goal.Owner = new string('o', 201);
        goal.Tags.Add(new string('g', 101));

        var error = Assert.ThrowsAsync<RpcException>(() => Client.ApplyChangesAsync(Changes("long-strings", Upsert(goal))).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        error.GetRpcStatus()!.Details.Single().Unpack<BadRequest>().FieldViolations.Select(v => v.Field).Should().Equal(
            "changes[0].upsert_goal.title", "changes[0].upsert_goal.owner", "changes[0].upsert_goal.tags[0]");
    }

    [TestCase("_w")]
    [TestCase("a")]
    [TestCase("not a token")]
    public async Task ListGoals_MalformedPageToken_InvalidArgument(string token)
    {
        await SeedCompanyAsync("tokens");

        var error = Assert.ThrowsAsync<RpcException>(() => Client.ListGoalsAsync(new ListGoalsRequest { Parent = "tenants/tokens", PageToken = token }).ResponseAsync)!;

        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        error.GetRpcStatus()!.Details.Single().Unpack<BadRequest>().FieldViolations.Single().Field.Should().Be("page_token");
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

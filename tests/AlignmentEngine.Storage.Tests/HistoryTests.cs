using AlignmentEngine.Api.V1;
using AlignmentEngine.Core;
using Grpc.Core;
using AlignmentEngine.Storage.Tests.Support;
using GoalTree = AlignmentEngine.Core.GoalTree;
using ParentLink = AlignmentEngine.Core.ParentLink;
using GoalDefinition = AlignmentEngine.Core.GoalDefinition;
using static AlignmentEngine.Storage.Tests.Support.Requests;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// as_of in the past: the service's answers equal a roll-up, by the core alone, of the tree as it stood at the end
/// of that day, written out here by hand for each stage. Changes are committed on chosen days by a manual clock.
/// </summary>
[TestFixture(typeof(SqliteProvider))]
[TestFixture(typeof(PostgresProvider))]
[TestFixture(typeof(SqlServerProvider))]
public sealed class HistoryTests<TProvider>
    where TProvider : IStoreProvider, new()
{
    private static readonly DateOnly Day1 = new(2026, 3, 2);
    private static readonly GoalDefinition C1 = Goals.Company("C1");

    // The stages, each the whole tree after a commit, written by hand.
    private static readonly GoalTree Stage1 = Goals.Tree(C1, Kr("KR1", 0, 1), Kr("KR2", 0, 2), Kr("KR3", 10, 1));
    private static readonly GoalTree Stage2 = Goals.Tree(C1, Kr("KR1", 50, 1), Kr("KR2", 0, 2), Kr("KR3", 10, 1));
    private static readonly GoalTree Stage3 = Goals.Tree(C1, Kr("KR1", 50, 1), Kr("KR2", 30, 2), Kr("KR3", 10, 1));
    private static readonly GoalTree Stage4 = Goals.Tree(C1, Kr("KR1", 50, 1), Kr("KR2", 30, 2), Kr("KR4", 70, 3));
    private static readonly GoalTree Stage5 = Goals.Tree(C1, Kr("KR1", 90, 1), Kr("KR2", 30, 2), Kr("KR4", 70, 3));

    private ManualClock _clock = null!;
    private TestServer _server = null!;

    private AlignmentClient Client => _server.Client;

    [OneTimeSetUp]
    public async Task CommitTheStages()
    {
        _clock = new ManualClock(At(Day1, 10));
        _server = await TestServer.StartAsync(new TProvider().NewLocation(), _clock);
        await ImportAsync(Client, "h", Stage1);
        _clock.Now = At(Day1.AddDays(2), 9);
        await Client.ApplyChangesAsync(Changes("h", CheckIn("KR1", 50)));
        _clock.Now = At(Day1.AddDays(2), 15);
        await Client.ApplyChangesAsync(Changes("h", CheckIn("KR2", 30)));
        _clock.Now = At(Day1.AddDays(4), 11);
        await Client.ApplyChangesAsync(Changes("h", Upsert(Kr("KR4", 70, 3)), new Api.V1.GoalChange { RemoveGoal = new Api.V1.RemoveGoal { GoalId = "KR3" } }));
        _clock.Now = At(Day1.AddDays(7), 8);
        await Client.ApplyChangesAsync(Changes("h", CheckIn("KR1", 90)));
        _clock.Now = At(Day1.AddDays(9), 12);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>The tree as it stood at the end of each day after Day1, and the tenant's version then.</summary>
    private static (GoalTree Tree, long Version) StoodAtEndOf(int day) => day switch
    {
        0 or 1 => (Stage1, 1),
        2 or 3 => (Stage3, 3),
        >= 4 and <= 6 => (Stage4, 4),
        _ => (Stage5, 5),
    };

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(6)]
    [TestCase(7)]
    [TestCase(8)]
    public async Task GetRollup_AsOfPastDay_EqualsRollupOfTheTreeAsItStoodThen(int day)
    {
        var date = Day1.AddDays(day);
        var (tree, version) = StoodAtEndOf(day);
        var graph = AlignmentGraph.Build(tree).Graph!;

        var response = await Client.GetRollupAsync(new GetRollupRequest { Name = "tenants/h/goals/C1", AsOf = Date(date) });

        response.Version.Should().Be(version);
        ShouldEqual(response.Status, graph.GetResult("C1", date)!);
        response.Contributions.Select(c => c.Child.GoalId).Should().Equal(graph.ChildrenOf("C1"));
        foreach (var part in response.Contributions) ShouldEqual(part.Child, graph.GetResult(part.Child.GoalId, date)!);
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(5)]
    [TestCase(8)]
    public async Task GetTree_AsOfPastDay_ShowsTheGoalsAndValuesOfThen(int day)
    {
        var date = Day1.AddDays(day);
        var (tree, version) = StoodAtEndOf(day);
        var graph = AlignmentGraph.Build(tree).Graph!;

        var response = await Client.GetTreeAsync(new GetTreeRequest { Name = "tenants/h/goals/C1", AsOf = Date(date) });

        response.Version.Should().Be(version);
        response.Nodes.Select(n => n.Goal.GoalId).Should().Equal(tree.Goals.Select(g => g.Id));
        foreach (var node in response.Nodes) ShouldEqual(node.Goal.Status, graph.GetResult(node.Goal.GoalId, date)!);
    }

    [Test]
    public async Task GetRollup_BeforeTheFirstChange_IsNotFound()
    {
        var before = () => Client.GetRollupAsync(new GetRollupRequest { Name = "tenants/h/goals/C1", AsOf = Date(Day1.AddDays(-1)) }).ResponseAsync;

        (await before.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.NotFound);
    }

    [Test]
    public async Task GetRollup_AsOfToday_IsTheCurrentTree()
    {
        var today = DateOnly.FromDateTime(_clock.Now.UtcDateTime);

        var response = await Client.GetRollupAsync(new GetRollupRequest { Name = "tenants/h/goals/C1", AsOf = Date(today) });

        response.Version.Should().Be(5);
        ShouldEqual(response.Status, AlignmentGraph.Build(Stage5).Graph!.GetResult("C1", today)!);
    }

    [Test]
    public async Task GetProgressHistory_Daily_EveryPointEqualsTheRollupOfThatDay()
    {
        var request = new GetProgressHistoryRequest { Name = "tenants/h/goals/KR2", StartDate = Date(Day1.AddDays(-1)), EndDate = Date(Day1.AddDays(9)), Step = HistoryStep.Day };

        var response = await Client.GetProgressHistoryAsync(request);

        response.Points.Should().HaveCount(11);
        response.Points[0].Status.Should().BeNull("the tenant did not exist yet");
        response.Points[0].Version.Should().Be(0);
        for (var day = 0; day <= 9; day++)
        {
            var point = response.Points[day + 1];
            var date = Day1.AddDays(day);
            var (tree, version) = StoodAtEndOf(day);
            point.Date.Should().Be(Date(date));
            point.Version.Should().Be(version);
            ShouldEqual(point.Status, AlignmentGraph.Build(tree).Graph!.GetResult("KR2", date)!);
        }

        response.Points.Select(p => p.Status?.Progress).Should().Equal(null, 0, 0, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3);
    }

    [Test]
    public async Task GetProgressHistory_Weekly_OnePointPerWeekAndAbsentWhileTheGoalDidNotExist()
    {
        var request = new GetProgressHistoryRequest { Name = "tenants/h/goals/KR4", StartDate = Date(Day1), EndDate = Date(Day1.AddDays(20)), Step = HistoryStep.Week };

        var response = await Client.GetProgressHistoryAsync(request);

        response.Points.Select(p => p.Date).Should().Equal(Date(Day1), Date(Day1.AddDays(7)), Date(Day1.AddDays(14)));
        response.Points[0].Status.Should().BeNull("KR4 came with the change of day 4");
        response.Points[1].Status.Progress.Should().Be(0.7);
        response.Points[1].Status.Expected.Should().Be(AlignmentGraph.Build(Stage5).Graph!.GetResult("KR4", Day1.AddDays(7))!.Expected);
    }

    [Test]
    public async Task GetProgressHistory_TooManyPointsOrBackwards_IsRefused()
    {
        var tooMany = () => Client.GetProgressHistoryAsync(new GetProgressHistoryRequest { Name = "tenants/h/goals/C1", StartDate = Date(new DateOnly(2000, 1, 1)), EndDate = Date(Day1) }).ResponseAsync;
        var backwards = () => Client.GetProgressHistoryAsync(new GetProgressHistoryRequest { Name = "tenants/h/goals/C1", StartDate = Date(Day1), EndDate = Date(Day1.AddDays(-1)) }).ResponseAsync;

        (await tooMany.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.ResourceExhausted);
        (await backwards.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.InvalidArgument);
    }

    private static GoalDefinition Kr(string id, double current, double weight) => Goals.KeyResult(id, current, new ParentLink("C1", weight));

    private static DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    private static void ShouldEqual(GoalStatus actual, GoalResult expected)
    {
        actual.Should().NotBeNull();
        actual.GoalId.Should().Be(expected.Id);
        actual.Progress.Should().Be(expected.Progress);
        actual.HasExpected.Should().Be(expected.Expected is not null);
        if (expected.Expected is { } pace) actual.Expected.Should().Be(pace);
        actual.Health.Should().Be((Api.V1.Health)((int)expected.Health + 1));
    }
}

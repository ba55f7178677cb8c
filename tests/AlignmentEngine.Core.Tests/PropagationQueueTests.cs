using static AlignmentEngine.Core.Tests.Trees;

namespace AlignmentEngine.Core.Tests;

/// <summary>
/// A goal reached through two neighbours in one wave is queued once (its Queued mark, not a sorted bucket, drops the
/// second), and the mark a wave leaves behind does not keep it out of the next change set's wave.
/// </summary>
public sealed class PropagationQueueTests
{
    // G has two parents, so both the downward wave (A and B re-anchor it) and the upward wave (G moves A and B, which
    // both move C) reach one goal twice.
    private static AlignmentGraph Diamond() => GraphOf(
        Objective("C", GoalLevel.Company),
        Objective("A", GoalLevel.Department, "C"),
        Objective("B", GoalLevel.Department, "C"),
        Objective("G", null, "A", "B"),
        Kr("G.KR", "G", Increase(0, 10, 5)));

    [Test]
    public void Apply_ArchiveThenRestoreTheCompanyObjective_ReportsEachOrphanOnceAndEqualsAFullRecomputation()
    {
        var graph = Diamond();

        var archived = graph.Apply([new SetState("C", GoalState.Archived)], AsOf);
        var restored = graph.Apply([new SetState("C", GoalState.Active)], AsOf);

        Orphans(archived.FindingsAppeared).Should().BeEquivalentTo(["A", "B", "G", "G.KR"]);
        Orphans(restored.FindingsDisappeared).Should().BeEquivalentTo(["A", "B", "G", "G.KR"]);
        graph.ShouldEqualFullRecomputation(AsOf);
    }

    [Test]
    public void Apply_ArchiveAndCheckInInOneChangeSet_TheUpwardWaveReachesGoalsTheDownwardWaveQueued()
    {
        var graph = Diamond();

        var result = graph.Apply([new SetState("C", GoalState.Archived), new CheckIn("G.KR", 8)], AsOf);

        result.Goals.Select(d => d.Id).Should().Contain(["G.KR", "G", "A", "B"]);
        graph.ShouldEqualFullRecomputation(AsOf);
    }

    [Test]
    public void Apply_AGoalSeededThenRemovedInOneChangeSet_IsLeftOutOfBothWaves()
    {
        var graph = Diamond();

        // The check-in seeds G.KR for the upward wave and the pause for the downward one; the removal then frees its
        // slot. Only seeds are asked whether they are live (the waves assert it of every goal they take, in debug builds):
        // the removed goal is reported once, as removed, and nothing else of it.
        var result = graph.Apply([new CheckIn("G.KR", 8), new SetState("G.KR", GoalState.Paused), new RemoveGoal("G.KR")], AsOf);

        result.Accepted.Should().BeTrue();
        result.Goals.Should().OnlyContain(d => d.Id != null);
        result.Goals.Should().ContainSingle(d => d.Id == "G.KR").Which.After.Should().BeNull();
        graph.ShouldEqualFullRecomputation(AsOf);
    }

    private static IEnumerable<string> Orphans(IEnumerable<Finding> findings) =>
        findings.Where(f => f.Code.Name() == "ORPHANED_GOAL").Select(f => f.Goal);

    [Test]
    public void Apply_CheckInsBelowTheDiamondInSuccessiveChangeSets_MoveEachGoalOnceAndEqualAFullRecomputation()
    {
        var graph = Diamond();

        foreach (var current in new[] { 7.0, 2.0, 9.0 })
        {
            var result = graph.Apply([new CheckIn("G.KR", current)], AsOf);

            result.Goals.Select(d => d.Id).Should().BeEquivalentTo(["G.KR", "G", "A", "B", "C"]);
            graph.ShouldEqualFullRecomputation(AsOf);
        }
    }
}

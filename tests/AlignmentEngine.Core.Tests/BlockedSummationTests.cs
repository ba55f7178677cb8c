using AlignmentEngine.Core.Graph;
using AlignmentEngine.Core.Rules;
using FsCheck;
using FsCheckProperty = FsCheck.NUnit.PropertyAttribute;

namespace AlignmentEngine.Core.Tests;

/// <summary>
/// The engine's order of additions (BlockedSummation): a wide parent's children are summed in groups of 16, and the
/// group sums by the same rule; up to 16 left to right. Pinned on values whose two orders differ in the last bit,
/// and checked bit for bit against a plain reference (BlockedReference) after random changes and rollbacks on random
/// graphs with parents of a hundred children and more, where the upward wave re-sums stored groups (GroupSums).
/// </summary>
public sealed class BlockedSummationTests
{
    private static readonly DateOnly AsOf = Trees.AsOf;

    private static IEnumerable<int> Seeds => Enumerable.Range(1, 10);

    [Test]
    public void WeightedMean_OfAHundredChildren_IsTheBlockedSumNotTheLeftToRightOne()
    {
        var graph = Trees.GraphOf([Trees.Objective("R", GoalLevel.Company), .. Children("R", k => Trees.Increase(0, 1000, Current(k)))]);
        var values = Ids.Select(id => graph.Result(id).Progress).ToList();
        var (blocked, leftToRight) = (BlockedReference.Sum([.. values.Select(v => ((double, double)?)(v, 1))]).A / Wide, values.Sum() / Wide);
        leftToRight.Should().NotBe(blocked, "the values must tell the two orders apart");

        graph.Result("R").Progress.Should().Be(blocked);

        // Incrementally, from the stored group sums: one child's group re-summed.
        graph.Apply([new CheckIn("K05", 123.4)], AsOf).Accepted.Should().BeTrue();
        values[5] = graph.Result("K05").Progress;
        graph.Result("R").Progress.Should().Be(BlockedReference.Sum([.. values.Select(v => ((double, double)?)(v, 1))]).A / Wide);
        graph.ShouldHoldTheBlockedSumsOfTheirChildren("after a check-in");
    }

    [Test]
    public void CascadedSum_OfAHundredChildren_IsTheBlockedSumNotTheLeftToRightOne()
    {
        // A target of 1 from 0: attainment is the sum itself, every bit of it.
        var sum = new Metric(MetricDirection.Increase, 0, 1, null, "M$", null, MetricAggregate.Sum);
        var graph = Trees.GraphOf([Trees.Objective("R", GoalLevel.Company), Trees.Kr("S", "R", sum), .. Children("S", k => Trees.Increase(0, 100, Cents(k), "M$"))]);
        var currents = Enumerable.Range(0, Wide).Select(Cents).ToList();
        var (blocked, leftToRight) = (BlockedReference.Sum([.. currents.Select(c => ((double, double)?)(c, 1))]).A, currents.Sum());
        var (blockedAttainment, leftToRightAttainment) = (MetricRules.Attainment(MetricDirection.Increase, 0, 1, blocked), MetricRules.Attainment(MetricDirection.Increase, 0, 1, leftToRight));
        leftToRightAttainment.Should().NotBe(blockedAttainment, "the values must tell the two orders apart");

        graph.Result("S").Attainment.Should().Be(blockedAttainment);

        graph.Apply([new CheckIn("K33", 1.7)], AsOf).Accepted.Should().BeTrue();
        currents[33] = 1.7;
        graph.Result("S").Attainment.Should().Be(MetricRules.Attainment(MetricDirection.Increase, 0, 1, BlockedReference.Sum([.. currents.Select(c => ((double, double)?)(c, 1))]).A));
        graph.ShouldHoldTheBlockedSumsOfTheirChildren("after a check-in");
    }

    [Test]
    public void MovingAChildToTheEndOfItsParentsList_SumsItInItsNewGroup()
    {
        var graph = Trees.GraphOf([Trees.Objective("R", GoalLevel.Company), .. Children("R", k => Trees.Increase(0, 1000, Current(k)))]);
        graph.Apply([new CheckIn("K05", 123.4)], AsOf).Accepted.Should().BeTrue(); // the wave stores R's group sums
        var before = graph.Result("R").Progress;

        // Unlinked and linked again in one change set: as many children as before, K00 now last.
        graph.Apply([new RemoveEdge("K00", "R"), new AddEdge("K00", new ParentLink("R"))], AsOf).Accepted.Should().BeTrue();

        var values = Ids.Where(id => id != "K00").Append("K00").Select(id => ((double, double)?)(graph.Result(id).Progress, 1)).ToList();
        var expected = BlockedReference.Sum(values).A / Wide;
        expected.Should().NotBe(before, "the new order must change the sum");
        graph.Result("R").Progress.Should().Be(expected);
    }

    [Test]
    public void AChildLeavingACascadedSumsUnit_LeavesTheSumThoughItsCurrentStays()
    {
        var sum = new Metric(MetricDirection.Increase, 0, 1, null, "M$", null, MetricAggregate.Sum);
        var graph = Trees.GraphOf([Trees.Objective("R", GoalLevel.Company), Trees.Kr("S", "R", sum), .. Children("S", k => Trees.Increase(0, 100, Cents(k), "M$"))]);
        graph.Apply([new CheckIn("K33", 1.7)], AsOf).Accepted.Should().BeTrue(); // the wave stores S's group sums
        var k07 = graph.GetDefinition("K07")!;

        graph.Apply([new UpsertGoal(k07 with { Metric = k07.Metric! with { Unit = "k$" } })], AsOf).Accepted.Should().BeTrue();

        var currents = Enumerable.Range(0, Wide).Select(k => k == 7 ? ((double, double)?)null : (k == 33 ? 1.7 : Cents(k), 1)).ToList();
        graph.Result("S").Attainment.Should().Be(BlockedReference.Sum(currents).A);
    }

    [Test]
    public void Breakdown_OfAWideParent_SharesItsValueByTheBlockedWeightSum()
    {
        var graph = Trees.GraphOf([Trees.Objective("R", GoalLevel.Company), .. Children("R", k => Trees.Increase(0, 1000, Current(k)), Weight)]);
        var weights = Enumerable.Range(0, Wide).Select(Weight).ToList();
        var (blocked, leftToRight) = (BlockedReference.Sum([.. weights.Select(w => ((double, double)?)(w, w))]).B, weights.Sum());
        leftToRight.Should().NotBe(blocked, "the weights must tell the two orders apart");

        foreach (var part in graph.GetBreakdown("R", AsOf)!.Contributions)
        {
            part.Share.Should().Be(part.Weight * part.Child.Progress / blocked, part.Child.Id);
        }
    }

    /// <summary>
    /// Summed afresh, a parent's terms give the rule's sums bit for bit on either side of the 64 groups whose sums are
    /// kept on the stack (1,024 terms), and far past it, where they go to a rented array.
    /// </summary>
    [TestCase(1_024)]
    [TestCase(1_025)]
    [TestCase(5_000)]
    public void Sum_OfManyGroups_EqualsTheRule(int n)
    {
        var random = new Random(n);
        var (a, b) = (new double[n], new double[n]);
        for (var k = 0; k < n; k++) Draw(random, a, b, k);
        var terms = new ArrayTerms(a, b);

        BlockedSummation.Sum(ref terms).Should().Be(BlockedReference.Sum([.. a.Select((x, k) => double.IsNaN(x) ? ((double, double)?)null : (x, b[k]))]));
    }

    /// <summary>
    /// Stored group sums, kept up to date one changed position at a time, give the rule's sums bit for bit, for up to
    /// 700 positions (three levels of groups), with positions that add nothing among them.
    /// </summary>
    [FsCheckProperty(MaxTest = 60)]
    public void GroupSums_AfterRandomUpdates_EqualTheRuleSummingAfresh(PositiveInt size, int seed)
    {
        var random = new Random(seed);
        var n = 17 + (size.Get % 684);
        var (a, b) = (new double[n], new double[n]);
        for (var k = 0; k < n; k++) Draw(random, a, b, k);
        var sums = new GroupSums();
        for (var step = 0; step < 25; step++)
        {
            var terms = new ArrayTerms(a, b);
            var expected = BlockedReference.Sum([.. a.Select((x, k) => double.IsNaN(x) ? ((double, double)?)null : (x, b[k]))]);
            BlockedSummation.Sum(ref terms).Should().Be(expected, "step {0}: summed afresh", step);
            sums.Sum(7, GroupSums.Kind.WeightedMean, ref terms).Should().Be(expected, "step {0}: from the stored groups", step);
            for (var changes = random.Next(1, 6); changes > 0; changes--)
            {
                var k = random.Next(n);
                Draw(random, a, b, k);
                sums.ChildChanged(7, k);
            }
        }
    }

    [TestCaseSource(nameof(Seeds))]
    public void RandomChanges_OnWideParents_KeepEveryGoalTheBlockedSumOfItsChildren(int seed)
    {
        var random = new RandomTrees(seed + 5000, hubs: 3);
        var graph = Trees.Build(random.Tree(400 + (seed * 40)));
        graph.ShouldHoldTheBlockedSumsOfTheirChildren("after the build");
        for (var step = 0; step < 60; step++)
        {
            var changes = random.ChangeSet(graph);
            var before = graph.ProgressBits(AsOf);
            switch (step % 3)
            {
                case 0:
                    graph.Simulate(changes, AsOf);
                    graph.ProgressBits(AsOf).Should().Equal(before, "step {0}: a simulation leaves every bit as it was", step);
                    break;
                case 1:
                    using (graph.Stage(changes, AsOf)) { } // disposed without a commit: undone
                    graph.ProgressBits(AsOf).Should().Equal(before, "step {0}: an undone stage leaves every bit as it was", step);
                    break;
                default:
                    if (graph.Apply(changes, AsOf).Accepted) graph.ShouldEqualFullRecomputation(AsOf);
                    else graph.ProgressBits(AsOf).Should().Equal(before, "step {0}: a refused change set changes nothing", step);
                    break;
            }

            graph.ShouldHoldTheBlockedSumsOfTheirChildren($"step {step}: {string.Join("; ", changes)}");
        }

        graph.View.ChildEdges(0).Length.Should().BeGreaterThan(64, "the first hub's group sums must be stored");
    }

    // Wider than GroupSums.StoredFrom: the upward wave keeps these parents' group sums.
    private const int Wide = 100;

    private static readonly string[] Ids = [.. Enumerable.Range(0, Wide).Select(k => $"K{k:D2}")];

    private static IEnumerable<GoalDefinition> Children(string parent, Func<int, Metric> metric, Func<int, double>? weight = null) =>
        Enumerable.Range(0, Wide).Select(k => new GoalDefinition(Ids[k], GoalType.KeyResult)
        {
            Parents = [new ParentLink(parent, weight?.Invoke(k) ?? 1)],
            Metric = metric(k),
        });

    private static double Weight(int k) => Math.Round(0.1 + (k * 0.37 % 3), 2);

    // Values whose order of additions shows in the last bit of their mean (and of the mean after K00 moves last).
    private static double Current(int k) => ((k * 7919) % 997) / 100.0 * 10;

    private static double Cents(int k) => ((k * 7919) % 997) / 100.0;

    private static void Draw(Random random, double[] a, double[] b, int k)
    {
        var counts = random.Next(6) != 0;
        a[k] = counts ? random.NextDouble() * Math.Pow(10, random.Next(-3, 4)) : double.NaN;
        b[k] = counts ? Math.Round(0.5 + (random.NextDouble() * 3), 2) : double.NaN;
    }

    /// <summary>Terms from two arrays: NaN in <c>a</c> marks a position that adds nothing.</summary>
    private readonly ref struct ArrayTerms(double[] a, double[] b) : IChildTerms
    {
        public int Count => a.Length;

        public (double A, double B) SumRange(int from, int to)
        {
            double x = 0, y = 0;
            for (var k = from; k < to; k++)
            {
                if (double.IsNaN(a[k])) continue;
                x += a[k];
                y += b[k];
            }

            return (x, y);
        }
    }
}

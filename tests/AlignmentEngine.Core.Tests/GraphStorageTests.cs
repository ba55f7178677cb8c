using AlignmentEngine.Core.Graph;

namespace AlignmentEngine.Core.Tests;

/// <summary>
/// The graph's compact storage helpers against the plain collections they replace, over seeded random operation
/// sequences: the id index against a <c>Dictionary</c>, group membership against a set per group. Few distinct
/// strings in a small table force long probe runs, wrap-around and deletions in the middle of runs.
/// </summary>
public sealed class GraphStorageTests
{
    private static IEnumerable<int> Seeds => Enumerable.Range(1, 20);

    [TestCaseSource(nameof(Seeds))]
    public void StringIndex_RandomSetsAndRemovals_AnswerLikeADictionary(int seed)
    {
        var random = new Random(seed);
        var keys = new string?[8];
        var index = new StringIndex(keys, 0);
        var model = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var step = 0; step < 3_000; step++)
        {
            var slot = random.Next(200);
            if (slot >= keys.Length)
            {
                Array.Resize(ref keys, Math.Max(slot + 1, keys.Length * 2));
                index.Keys = keys;
            }

            // Remove what the slot held, then (mostly) give it a fresh string: the graph's order of operations.
            if (keys[slot] is { } old)
            {
                index.Remove(old).Should().Be(model.Remove(old));
                keys[slot] = null;
            }

            if (random.Next(4) > 0)
            {
                var key = $"goal-{random.Next(300)}";
                if (model.Remove(key, out var holder)) // ids are unique: take it from the slot that holds it
                {
                    index.Remove(key).Should().BeTrue();
                    keys[holder] = null;
                }

                keys[slot] = key;
                index.Set(slot);
                model[key] = slot;
            }

            for (var probe = 0; probe < 300; probe += 7)
            {
                var key = $"goal-{probe}";
                index.TryGetValue(key, out var found).Should().Be(model.TryGetValue(key, out var expected), key);
                if (model.ContainsKey(key)) found.Should().Be(expected, key);
            }
        }

        foreach (var (key, slot) in model) index[key].Should().Be(slot);
    }

    [TestCaseSource(nameof(Seeds))]
    public void GroupMembers_RandomMoves_ListLikeASetPerGroup(int seed)
    {
        var random = new Random(seed);
        const int Nodes = 300;
        var groups = new GroupMembers(4);
        groups.EnsureNodes(Nodes);
        var groupOf = Enumerable.Repeat(-1, Nodes).ToArray();
        for (var step = 0; step < 5_000; step++)
        {
            var node = random.Next(Nodes);
            var to = random.Next(5) == 0 ? -1 : random.Next(40);
            groups.Move(node, groupOf[node], to);
            groupOf[node] = to;
        }

        var expected = Enumerable.Range(0, Nodes).Where(n => groupOf[n] >= 0).GroupBy(n => groupOf[n]).ToDictionary(g => g.Key, g => g.Order().ToList());
        groups.NonEmptyGroups().Should().Equal(expected.Keys.Order());
        foreach (var (group, members) in expected)
        {
            var listed = new List<int>();
            foreach (var m in groups.Members(group)) listed.Add(m);
            listed.Order().Should().Equal(members);
            groups.HasMoreThan(group, members.Count - 1).Should().BeTrue();
            groups.HasMoreThan(group, members.Count).Should().BeFalse();
        }

        groups.HasMoreThan(1_000, 0).Should().BeFalse();
        foreach (var _ in groups.Members(1_000)) Assert.Fail("an unknown group has no members");
    }
}

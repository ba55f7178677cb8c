namespace AlignmentEngine.Core.Tests;

/// <summary>The chunked list that holds a change result's deferred orphans reads back what was added, across chunks.</summary>
public sealed class ChunkedListTests
{
    [TestCase(0, 16)]
    [TestCase(1, 16)]
    [TestCase(17, 16)]
    [TestCase(8_192, 16)]
    [TestCase(8_193, 16)]
    [TestCase(20_000, 16)]
    [TestCase(20_000, 3, Description = "expected far below the count")]
    [TestCase(20_000, 20_000, Description = "a full first chunk from the start")]
    [TestCase(5, 1_000_000, Description = "expected far above the count")]
    public void Add_ThenRead_GivesEveryItemInOrder(int count, int expected)
    {
        var list = new ChunkedList<int>(expected);

        for (var k = 0; k < count; k++) list.Add(k * 3);

        list.Count.Should().Be(count);
        Enumerable.Range(0, count).Select(k => list[k]).Should().Equal(Enumerable.Range(0, count).Select(k => k * 3));
        list.Should().Equal(Enumerable.Range(0, count).Select(k => k * 3));
    }

    [Test]
    public void Indexer_PastTheEnd_Throws()
    {
        var list = new ChunkedList<string> { "a", "b" };

        var read = () => list[2];

        read.Should().Throw<ArgumentOutOfRangeException>();
    }
}

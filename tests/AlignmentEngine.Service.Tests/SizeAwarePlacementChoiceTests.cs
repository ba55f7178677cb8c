using AlignmentEngine.Service.Capacity;

namespace AlignmentEngine.Service.Tests;

/// <summary>The placement director's choice from the silos' answers and the tenant's size, on its own.</summary>
[TestFixture]
public sealed class SizeAwarePlacementChoiceTests
{
    [Test]
    public void MostBudgetLeft_Wins() =>
        SizeAwarePlacementDirector.Choose([new SiloCapacity(100, 500), new SiloCapacity(900, null), new SiloCapacity(-50, null)], local: 0, goals: 500).Should().Be(1);

    [Test]
    public void SiloWithoutBudget_HasRoomForAnything() =>
        SizeAwarePlacementDirector.Choose([new SiloCapacity(100, 500), new SiloCapacity(null, null)], local: 0, goals: 500).Should().Be(1);

    [Test]
    public void Equals_TheLocalSiloWins() =>
        SizeAwarePlacementDirector.Choose([new SiloCapacity(100, 500), new SiloCapacity(100, null)], local: 1, goals: 500).Should().Be(1);

    [Test]
    public void SiloThatDidNotAnswer_IsNotChosen() =>
        SizeAwarePlacementDirector.Choose([null, new SiloCapacity(10, 500)], local: 0, goals: 500).Should().Be(1);

    [Test]
    public void FitsWhereItIsCalled_StaysThere() =>
        SizeAwarePlacementDirector.Choose([new SiloCapacity(100, 80), new SiloCapacity(900, null)], local: 0, goals: 80).Should().Be(0, "80 goals fit in the 100 left here");

    [Test]
    public void SizeUnknown_MostBudgetLeft_Wins() =>
        SizeAwarePlacementDirector.Choose([new SiloCapacity(100, null), new SiloCapacity(900, null)], local: 0, goals: null).Should().Be(1);

    [Test]
    public void NoBudgetAnywhere_OrleansDecides() =>
        SizeAwarePlacementDirector.Choose([new SiloCapacity(null, 5), new SiloCapacity(null, null)], local: 0, goals: 5).Should().BeNull();
}

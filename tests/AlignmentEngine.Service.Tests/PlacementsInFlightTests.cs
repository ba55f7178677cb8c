using System.Net;
using AlignmentEngine.Service.Capacity;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// The director's own record of the placements it decided, on its own: decisions made together see each other, and a
/// reservation is taken off a silo's answer only when that answer may predate it.
/// </summary>
[TestFixture]
public sealed class PlacementsInFlightTests
{
    private static readonly SiloAddress[] Silos = [Silo(1), Silo(2), Silo(3)];

    private PlacementsInFlight _inFlight = null!;

    [SetUp]
    public void NothingInFlight() => _inFlight = new PlacementsInFlight(TimeProvider.System);

    [Test]
    public void DecisionsFromTheSameAnswers_SpreadOverTheSilos()
    {
        var asked = TimeProvider.System.GetTimestamp();
        SiloCapacity?[] answers = [new(1_000, null), new(1_000, null), new(1_000, null)];

        var chosen = Enumerable.Range(0, 3).Select(_ => _inFlight.Decide(Silos, answers, local: 0, goals: 600, asked).Chosen).ToList();

        chosen.Should().Equal([0, 1, 2], "600 goals fit here first; then here has 400 left, and each other silo takes one");
    }

    [Test]
    public void Reservation_ConfirmedBeforeTheAsking_IsInTheAnswersAlready()
    {
        var (_, first) = _inFlight.Decide(Silos, [new(1_000, null), new(900, null), new(900, null)], local: 0, goals: 600, TimeProvider.System.GetTimestamp());
        _inFlight.Confirm(first!);
        var asked = TimeProvider.System.GetTimestamp();

        // Silo 0 answers 400 left, the reservation in it: not taken off a second time.
        _inFlight.Decide(Silos, [new(400, null), new(900, null), new(900, null)], local: 0, goals: 300, asked).Chosen.Should().Be(0, "300 goals fit in the 400 left here");
    }

    [Test]
    public void Reservation_ConfirmedAfterTheAsking_IsTakenOffTheAnswer()
    {
        var asked = TimeProvider.System.GetTimestamp();
        var (_, first) = _inFlight.Decide(Silos, [new(1_000, null), new(900, null), new(900, null)], local: 0, goals: 600, asked);
        _inFlight.Confirm(first!);

        // Asked before the reservation landed, silo 0 still answered 1,000: 400 are left once it is taken off.
        _inFlight.Decide(Silos, [new(1_000, null), new(900, null), new(900, null)], local: 0, goals: 500, asked).Chosen.Should().Be(1);
    }

    [Test]
    public void UnknownSize_ReservesNothing()
    {
        var asked = TimeProvider.System.GetTimestamp();

        var (chosen, placement) = _inFlight.Decide(Silos, [new(1_000, null), new(900, null), null], local: 0, goals: null, asked);

        chosen.Should().Be(0);
        placement.Should().BeNull();
        _inFlight.Decide(Silos, [new(1_000, null), new(900, null), null], local: 1, goals: null, asked).Chosen.Should().Be(0, "nothing was reserved on silo 0");
    }

    private static SiloAddress Silo(int k) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11_110 + k), 1);
}

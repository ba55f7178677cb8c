using AlignmentEngine.Service.Capacity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// The silo's ledger of resident goals on its own: who is evicted when over the budget (the least recently called, never
/// the one being called nor one pinned by subscriptions), a tenant alone over the budget, and what placement reads.
/// </summary>
[TestFixture]
public sealed class ResidentGoalsTests
{
    private readonly List<string> _evicted = [];
    private readonly Dictionary<string, Residence> _residences = [];
    private ResidentGoals _ledger = null!;

    [SetUp]
    public void CreateLedger()
    {
        _evicted.Clear();
        _residences.Clear();
        _ledger = new ResidentGoals(Options.Create(new AlignmentServiceOptions { MaxResidentGoals = 100 }), NullLogger<ResidentGoals>.Instance);
    }

    [Test]
    public void OverBudget_EvictsTheLeastRecentlyCalled_UntilTheRestFit()
    {
        Enter("a", 40);
        Enter("b", 30);
        Enter("c", 20);
        _residences["a"].Called();

        Enter("d", 50);

        _evicted.Should().Equal(["b", "c"], "b then c were called least recently; a was called after them");
        _ledger.Total.Should().Be(90);
        _ledger.Evictions.Should().Be(2);
        _ledger.Free.Should().Be(10);
    }

    [Test]
    public void Growth_OverBudget_EvictsOthers_NotTheTenantThatGrew()
    {
        Enter("a", 40);
        Enter("b", 40);

        _residences["a"].Resize(70);

        _evicted.Should().Equal(["b"]);
        _ledger.Total.Should().Be(70);
    }

    [Test]
    public void PinnedTenant_IsNeverEvicted_UntilUnpinned()
    {
        Enter("pinned", 60);
        _residences["pinned"].Pin(true);
        Enter("b", 30);

        Enter("c", 45);
        _evicted.Should().Equal(["b"], "the pinned tenant is older, but its subscriptions keep it");
        _ledger.Total.Should().Be(105, "still over: nothing else may go");

        // Unpinning is a call to the tenant: it stays, and the least recently called of the others goes.
        _residences["pinned"].Pin(false);
        _evicted.Should().Equal(["b", "c"]);
        _ledger.Total.Should().Be(60);

        Enter("d", 50);
        _evicted.Should().Equal(["b", "c", "pinned"], "unpinned, it is evicted like any other");
    }

    [Test]
    public void TenantAloneOverBudget_StaysLoaded_AndEveryOtherIsEvicted()
    {
        Enter("a", 10);
        Enter("b", 10);

        Enter("huge", 250);

        _evicted.Should().Equal(["a", "b"]);
        _ledger.Holds("huge").Should().BeTrue("the budget refuses no tenant; it decides whom to deactivate");
        _ledger.Free.Should().Be(-150);
    }

    [Test]
    public void SizeOf_IsWhatTheLedgerLastSaw_ResidentOrGone()
    {
        Enter("a", 10);
        _residences["a"].Resize(12);
        _ledger.SizeOf("a").Should().Be(12);

        _residences["a"].Leave();

        _ledger.Holds("a").Should().BeFalse();
        _ledger.SizeOf("a").Should().Be(12, "placement asks for the size of tenants that left");
        _ledger.SizeOf("never").Should().BeNull();
        _ledger.Total.Should().Be(0);
    }

    [Test]
    public void NoBudget_NothingIsEvicted()
    {
        _ledger = new ResidentGoals(Options.Create(new AlignmentServiceOptions()), NullLogger<ResidentGoals>.Instance);
        Enter("a", 1_000_000);
        Enter("b", 1_000_000);

        _evicted.Should().BeEmpty();
        _ledger.Free.Should().BeNull();
    }

    [Test]
    public void TenantStillActivating_IsNotEvicted_UntilItsFirstCall()
    {
        var activating = _ledger.Enter("activating", 60, () => _evicted.Add("activating"));

        Enter("b", 60);
        var whileActivating = _evicted.ToList();
        activating.Called();

        whileActivating.Should().BeEmpty("an activation told to deactivate while activating may end without its deactivation, and never leave the ledger");
        _evicted.Should().Equal(["b"], "once activated, the silo makes room again, and the tenant being called stays");
    }

    [Test]
    public void Reservation_CountsAgainstTheBudgetLeft_ButNotForItsOwnTenant_AndEvictsNoOne()
    {
        Enter("a", 40);

        _ledger.Reserve("big", 80);

        _ledger.Free.Should().Be(-20, "40 held and 80 reserved of 100");
        _ledger.FreeFor("big").Should().Be(60, "its own reservation is its room");
        _ledger.FreeFor("other").Should().Be(-20);
        _evicted.Should().BeEmpty("a reservation makes no room: the tenant's entry does, if it must");
    }

    [Test]
    public void Reservation_EndsWhenItsTenantEnters_IsReleased_OrTimesOut()
    {
        var clock = new SteppedClock();
        _ledger = new ResidentGoals(Options.Create(new AlignmentServiceOptions { MaxResidentGoals = 100, Clock = clock }), NullLogger<ResidentGoals>.Instance);
        _ledger.Reserve("a", 30);
        _ledger.Reserve("b", 20);
        _ledger.Reserve("c", 10);

        Enter("a", 35);
        _ledger.Release("b");
        var beforeTimeout = _ledger.Reserved;
        clock.Advance(ResidentGoals.ReservationTimeout);

        beforeTimeout.Should().Be(10, "a entered in place of its reservation, b's was released; c's stays");
        _ledger.Reserved.Should().Be(0, "c never loaded: its reservation lapsed");
        _ledger.Free.Should().Be(65);
    }

    [Test]
    public void Reservation_OfATenantHeldHere_OrWithoutBudget_IsNothing()
    {
        Enter("a", 40);
        _ledger.Reserve("a", 40);
        var held = _ledger.Reserved;
        _ledger = new ResidentGoals(Options.Create(new AlignmentServiceOptions()), NullLogger<ResidentGoals>.Instance);
        _ledger.Reserve("b", 40);

        held.Should().Be(0);
        _ledger.Reserved.Should().Be(0);
    }

    /// <summary>Enters a tenant whose eviction, like its grain's deactivation, leaves the ledger, and calls it (its activation is then finished).</summary>
    private void Enter(string tenant, int goals)
    {
        _residences[tenant] = _ledger.Enter(tenant, goals, () =>
        {
            _evicted.Add(tenant);
            _residences[tenant].Leave();
        });
        _residences[tenant].Called();
    }

    /// <summary>A clock whose timestamps move only when the test says (in ticks of 100 ns).</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _now;

        public void Advance(TimeSpan by) => _now += by.Ticks;
    }
}

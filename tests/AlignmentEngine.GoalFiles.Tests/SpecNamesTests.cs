using AlignmentEngine.Core;

namespace AlignmentEngine.GoalFiles.Tests;

public sealed class SpecNamesTests
{
    private static readonly Type[] Enums =
        [typeof(GoalType), typeof(GoalLevel), typeof(GoalState), typeof(MetricDirection), typeof(MetricAggregate), typeof(Health), typeof(Severity)];

    [Test]
    public void NamesOf_EveryEnum_CoversEveryValueInSnakeCase()
    {
        foreach (var type in Enums)
        {
            var names = (IReadOnlyList<string>)typeof(SpecNames).GetMethod(nameof(SpecNames.NamesOf))!.MakeGenericMethod(type).Invoke(null, null)!;
            var values = Enum.GetValues(type);

            names.Should().HaveCount(values.Length, type.Name);
            for (var i = 0; i < values.Length; i++)
            {
                // The table is indexed by value; each name must be the snake_case of the member it stands for.
                var member = values.GetValue(i)!.ToString()!;
                Convert.ToInt32(values.GetValue(i), System.Globalization.CultureInfo.InvariantCulture).Should().Be(i, type.Name);
                names[i].Replace("_", string.Empty, StringComparison.Ordinal).Should().BeEquivalentTo(member, type.Name);
                names[i].Should().MatchRegex("^[a-z]+(_[a-z]+)*$");
            }
        }
    }

    [Test]
    public void TryParse_EveryName_GivesItsValueBack()
    {
        foreach (var direction in Enum.GetValues<MetricDirection>())
        {
            SpecNames.TryParse<MetricDirection>(direction.Name(), out var parsed).Should().BeTrue();
            parsed.Should().Be(direction);
        }
    }

    [TestCase("AtLeast")]
    [TestCase("AT_LEAST")]
    [TestCase("up")]
    [TestCase("")]
    public void TryParse_OtherSpellings_AreRefused(string name) =>
        SpecNames.TryParse<MetricDirection>(name, out _).Should().BeFalse();

    [Test]
    public void Name_KnownValues_AreTheSpecNames()
    {
        GoalType.KeyResult.Name().Should().Be("key_result");
        Health.OffTrack.Name().Should().Be("off_track");
        Severity.Info.Name().Should().Be("info");
        MetricDirection.AtMost.Name().Should().Be("at_most");
    }
}

using AlignmentEngine.Core;
using AlignmentEngine.Tests.Shared;
using static AlignmentEngine.GoalFiles.Tests.GoalFileTestHelpers;

namespace AlignmentEngine.GoalFiles.Tests;

public sealed class GoalTreeYamlWriterTests
{
    private static readonly Period Q4 = new(new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31));

    private static GoalTree RoundTrip(GoalTree tree) => Read(GoalTreeYamlWriter.ToYaml(tree)).Tree;

    [Test]
    public void ToYaml_EveryField_ReadsBackEqual()
    {
        var tree = new GoalTree
        {
            AsOf = new DateOnly(2026, 11, 15),
            DefaultPeriod = PeriodRef.Named("2026-Q4"),
            Periods = new Dictionary<string, Period> { ["2026-Q4"] = Q4, ["H2"] = new(new DateOnly(2026, 7, 1), Q4.End) },
            Settings = new AlignmentSettings(0.05, 0.3, 9),
            Goals =
            [
                new GoalDefinition("C1", GoalType.Objective)
                {
                    Level = GoalLevel.Company, Title = "Grow: recurring revenue # 1", Owner = "ceo", Tags = ["growth", "2026", ""],
                },
                new GoalDefinition("C1.KR1", GoalType.KeyResult)
                {
                    Parents = [new ParentLink("C1")],
                    Metric = new Metric(MetricDirection.Increase, 30, 50, 38.25, "M$", "arr"),
                    State = GoalState.Paused,
                },
                new GoalDefinition("SALES", GoalType.Objective)
                {
                    Level = GoalLevel.Department,
                    Parents = [new ParentLink("C1.KR1", 2), new ParentLink("C2", 1, false), new ParentLink("C3", 0.1, false)],
                    Period = PeriodRef.Of(Q4),
                    ProgressOverride = 0.4,
                },
                new GoalDefinition("M1", GoalType.KeyResult) { Metric = new Metric(MetricDirection.Milestone, Current: 1) },
                new GoalDefinition("M2", GoalType.KeyResult) { Metric = new Metric(MetricDirection.Milestone, Current: 0) },
                new GoalDefinition("M3", GoalType.KeyResult) { Metric = new Metric(MetricDirection.Milestone, Current: 0.5) },
                new GoalDefinition("M4", GoalType.KeyResult) { Metric = new Metric(MetricDirection.Milestone) },
                new GoalDefinition("S1", GoalType.KeyResult)
                {
                    Metric = new Metric(MetricDirection.Decrease, 100, 80, Aggregate: MetricAggregate.Sum),
                },
            ],
        };

        RoundTrip(tree).ShouldEqualTree(tree);
    }

    [Test]
    public void ToYaml_InvalidValues_AreKeptNotRepaired()
    {
        var tree = new GoalTree
        {
            DefaultPeriod = PeriodRef.Named("UNDECLARED"),
            Goals =
            [
                new GoalDefinition("A", GoalType.KeyResult)
                {
                    Parents = [new ParentLink("NOPE", 0), new ParentLink("A", double.NaN), new ParentLink("B", -1)],
                    Period = PeriodRef.Of(new Period(Q4.End, Q4.Start)),
                    ProgressOverride = double.PositiveInfinity,
                    Metric = new Metric(MetricDirection.Increase, double.NegativeInfinity, double.NaN, 1e300, Aggregate: MetricAggregate.Sum),
                },
                new GoalDefinition("A", GoalType.Objective) { State = GoalState.Cancelled },
            ],
        };

        RoundTrip(tree).ShouldEqualTree(tree);
    }

    [TestCase("null")]
    [TestCase("~")]
    [TestCase("")]
    [TestCase("true")]
    [TestCase("no")]
    [TestCase("42")]
    [TestCase("0x1F")]
    [TestCase("1_000")]
    [TestCase(".nan")]
    [TestCase("2026-10-01")]
    [TestCase("- dash")]
    [TestCase("a: b")]
    [TestCase("#hash")]
    [TestCase("*star")]
    [TestCase("&amp")]
    [TestCase("!bang")]
    [TestCase("  padded  ")]
    [TestCase("line\nbreak")]
    [TestCase("tab\there")]
    [TestCase("quote \" and ' both")]
    [TestCase("{flow}")]
    [TestCase("Ünïcödé ✓")]
    public void ToYaml_AwkwardText_ReadsBackAsTheSameText(string text)
    {
        var id = text.Length is > 0 and <= 128 && !text.Any(char.IsControl) ? text : "A";
        var tree = new GoalTree
        {
            Periods = new Dictionary<string, Period> { [text] = Q4 },
            Goals =
            [
                new GoalDefinition(id, GoalType.Objective)
                {
                    Title = text, Owner = text, Tags = [text], Parents = [new ParentLink(text)],
                    Period = text.Length > 0 ? PeriodRef.Named(text) : null,
                    Metric = new Metric(MetricDirection.AtLeast, 0, 1, null, text, text),
                },
            ],
        };

        RoundTrip(tree).ShouldEqualTree(tree);
    }

    [TestCase(0.1)]
    [TestCase(1.0 / 3)]
    [TestCase(-0.0)]
    [TestCase(double.Epsilon)]
    [TestCase(double.MaxValue)]
    [TestCase(1e-7)]
    [TestCase(123456789012345680000.0)]
    public void ToYaml_Numbers_RoundTripExactly(double value)
    {
        var tree = new GoalTree
        {
            Goals = [new GoalDefinition("A", GoalType.KeyResult) { Metric = new Metric(MetricDirection.Increase, value, value, value) }],
        };

        var metric = RoundTrip(tree).Goals.Single().Metric!;

        BitConverter.DoubleToInt64Bits(metric.Start).Should().Be(BitConverter.DoubleToInt64Bits(value));
        BitConverter.DoubleToInt64Bits(metric.Current!.Value).Should().Be(BitConverter.DoubleToInt64Bits(value));
    }

    [Test]
    public void ToYaml_DefaultsOmitted_KeepsTheFileShort()
    {
        var yaml = GoalTreeYamlWriter.ToYaml(new GoalTree
        {
            Goals = [new GoalDefinition("A", GoalType.Objective) { Parents = [new ParentLink("B")] }],
        });

        yaml.Should().Be("goals:\n- id: A\n  type: objective\n  parents: [B]\n");
    }

    [TestCase("true")]
    [TestCase("42")]
    [TestCase("null")]
    [TestCase("2026-10-01")]
    [TestCase("yes")]
    public void ToYaml_TextThatLooksTyped_IsQuotedForEveryYamlReader(string text)
    {
        var yaml = GoalTreeYamlWriter.ToYaml(new GoalTree { Goals = [new GoalDefinition(text, GoalType.Objective) { Title = text }] });

        yaml.Should().Contain($"- id: \"{text}\"\n").And.Contain($"  title: \"{text}\"\n");
    }

    [Test]
    public void ToYaml_ConformanceVectors_ReadBackEqual()
    {
        foreach (var path in RepoPaths.ConformanceVectors())
        {
            var tree = GoalFileReader.Default.ReadFile(path).Document!.Tree;

            RoundTrip(tree).ShouldEqualTree(tree);
        }
    }
}

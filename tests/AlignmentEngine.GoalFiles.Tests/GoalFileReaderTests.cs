using AlignmentEngine.Core;
using static AlignmentEngine.GoalFiles.Tests.GoalFileTestHelpers;

namespace AlignmentEngine.GoalFiles.Tests;

public sealed class GoalFileReaderTests
{
    private const string FullDocument = """
        as_of: 2026-11-15
        period: 2026-Q4
        periods:
          2026-Q4: { start: 2026-10-01, end: 2026-12-31 }
          H2: { start: 2026-07-01, end: 2026-12-31 }
        settings:
          on_track_tolerance: 0.05
          at_risk_tolerance: 0.3
          max_objectives_per_owner: 7
        goals:
          - id: C1
            type: objective
            level: company
            title: Grow recurring revenue
            owner: ceo
            tags: [growth, "2026"]
          - id: C1.KR1
            type: key_result
            title: ARR reaches $50M
            parents: [C1]
            metric: { direction: increase, start: 30, target: 50, current: 38, unit: M$, key: arr }
          - id: SALES
            type: objective
            level: department
            parents:
              - { id: C1.KR1, weight: 2 }
              - { id: C2, contributes: false }
            state: paused
            period: { start: 2026-10-01, end: 2026-12-31 }
            progress_override: 0.4
        """;

    [Test]
    public void Read_FullDocument_MapsDocumentLevelFields()
    {
        var tree = Read(FullDocument).Tree;

        tree.AsOf.Should().Be(new DateOnly(2026, 11, 15));
        tree.DefaultPeriod.Should().Be(PeriodRef.Named("2026-Q4"));
        tree.Periods.Should().BeEquivalentTo(new Dictionary<string, Period>
        {
            ["2026-Q4"] = new(new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31)),
            ["H2"] = new(new DateOnly(2026, 7, 1), new DateOnly(2026, 12, 31)),
        });
        tree.Settings.Should().Be(new AlignmentSettings(0.05, 0.3, 7));
    }

    [Test]
    public void Read_FullDocument_MapsEveryGoalField()
    {
        var goals = Read(FullDocument).Tree.Goals;

        goals.Should().Equal(
            new GoalDefinition("C1", GoalType.Objective)
            {
                Level = GoalLevel.Company, Title = "Grow recurring revenue", Owner = "ceo", Tags = ["growth", "2026"],
            },
            new GoalDefinition("C1.KR1", GoalType.KeyResult)
            {
                Title = "ARR reaches $50M",
                Parents = [new ParentLink("C1")],
                Metric = new Metric(MetricDirection.Increase, 30, 50, 38, "M$", "arr"),
            },
            new GoalDefinition("SALES", GoalType.Objective)
            {
                Level = GoalLevel.Department,
                Parents = [new ParentLink("C1.KR1", 2), new ParentLink("C2", 1, Contributes: false)],
                State = GoalState.Paused,
                Period = PeriodRef.Of(new Period(new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31))),
                ProgressOverride = 0.4,
            });
    }

    [Test]
    public void Read_FullDocument_RecordsEachGoalsPosition()
    {
        var document = Read(FullDocument);

        document.GoalPositions.Should().Equal(new SourcePosition(11, 5), new SourcePosition(17, 5), new SourcePosition(22, 5));
        document.Path.Should().Be(FileName);
    }

    [Test]
    public void Read_MinimalGoal_AppliesDefaults()
    {
        var goal = ReadGoal("  - { id: A, type: objective }");

        goal.Should().Be(new GoalDefinition("A", GoalType.Objective));
        goal.State.Should().Be(GoalState.Active);
        goal.Level.Should().BeNull();
        goal.Tags.Should().BeEmpty();
        goal.Parents.Should().BeEmpty();
    }

    [Test]
    public void Read_NoDocumentLevelKeys_AppliesDefaults()
    {
        var tree = Read("goals: []").Tree;

        tree.Goals.Should().BeEmpty();
        tree.AsOf.Should().BeNull();
        tree.DefaultPeriod.Should().BeNull();
        tree.Periods.Should().BeEmpty();
        tree.Settings.Should().Be(AlignmentSettings.Default);
    }

    [Test]
    public void Read_MetricWithoutStart_StartsAtZero()
    {
        var goal = ReadGoal("  - { id: A, type: key_result, metric: { direction: at_least, target: 5 } }");

        goal.Metric.Should().Be(new Metric(MetricDirection.AtLeast, 0, 5));
    }

    [TestCase("true", 1.0)]
    [TestCase("false", 0.0)]
    public void Read_MilestoneDone_SetsCurrent(string done, double current)
    {
        var goal = ReadGoal($"  - {{ id: A, type: key_result, metric: {{ direction: milestone, done: {done} }} }}");

        goal.Metric!.Current.Should().Be(current);
    }

    [Test]
    public void Read_MilestoneWithoutDone_HasNoCurrent()
    {
        var goal = ReadGoal("  - { id: A, type: key_result, metric: { direction: milestone } }");

        goal.Metric.Should().Be(new Metric(MetricDirection.Milestone));
    }

    [Test]
    public void Read_MilestoneWithCurrent_KeepsCurrent()
    {
        var goal = ReadGoal("  - { id: A, type: key_result, metric: { direction: milestone, current: 1 } }");

        goal.Metric!.Current.Should().Be(1);
    }

    [Test]
    public void Read_AggregatingMetric_MapsAggregate()
    {
        var goal = ReadGoal("  - { id: A, type: key_result, metric: { direction: increase, target: 9, aggregate: sum } }");

        goal.Metric!.Aggregate.Should().Be(MetricAggregate.Sum);
    }

    [Test]
    public void Read_BothParentForms_KeepsOrderAndDefaults()
    {
        var goal = ReadGoal("""
              - id: A
                type: objective
                parents:
                  - P1
                  - { id: P2 }
                  - { id: P3, weight: 0.5, contributes: false }
                  - P4
            """);

        goal.Parents.Should().Equal(
            new ParentLink("P1"), new ParentLink("P2"), new ParentLink("P3", 0.5, false), new ParentLink("P4"));
    }

    [Test]
    public void Read_NamedAndExplicitPeriods_MapToPeriodRefs()
    {
        var goals = Read("""
            goals:
              - { id: A, type: objective, period: Q3 }
              - { id: B, type: objective, period: { start: 2026-07-01, end: 2026-09-30 } }
            """).Tree.Goals;

        goals[0].Period.Should().Be(PeriodRef.Named("Q3"));
        goals[1].Period.Should().Be(PeriodRef.Of(new Period(new DateOnly(2026, 7, 1), new DateOnly(2026, 9, 30))));
    }

    [TestCase("0", 0.0)]
    [TestCase("-3", -3.0)]
    [TestCase("2.5", 2.5)]
    [TestCase("+1e3", 1000.0)]
    [TestCase(".5", 0.5)]
    [TestCase("0.1", 0.1)]
    [TestCase("12345678901234567890", 12345678901234567890.0)]
    public void Read_NumberSpellings_ParseInvariant(string text, double expected)
    {
        var goal = ReadGoal($"  - {{ id: A, type: key_result, metric: {{ direction: at_least, target: {text} }} }}");

        goal.Metric!.Target.Should().Be(expected);
    }

    [TestCase(".nan")]
    [TestCase(".NaN")]
    [TestCase(".inf")]
    [TestCase("-.inf")]
    [TestCase("1e999")]
    public void Read_NonFiniteNumbers_PassThroughForTheCore(string text)
    {
        var goal = ReadGoal($"  - {{ id: A, type: key_result, metric: {{ direction: increase, start: 0, target: 1, current: {text} }} }}");

        double.IsFinite(goal.Metric!.Current!.Value).Should().BeFalse();
    }

    [Test]
    public void Read_SemanticProblems_PassThroughForTheCore()
    {
        var tree = Read("""
            period: NOPE
            goals:
              - { id: A, type: objective, parents: [{ id: MISSING, weight: 0 }], period: { start: 2026-12-31, end: 2026-01-01 } }
              - { id: A, type: objective, progress_override: 7 }
            """).Tree;

        tree.DefaultPeriod.Should().Be(PeriodRef.Named("NOPE"));
        tree.Goals.Should().HaveCount(2);
        tree.Goals[0].Parents.Should().Equal(new ParentLink("MISSING", 0));
        tree.Goals[0].Period!.Range!.Value.IsValid.Should().BeFalse();
        tree.Goals[1].ProgressOverride.Should().Be(7);
    }

    [Test]
    public void Read_NullValues_MeanAbsent()
    {
        var goal = ReadGoal("""
              - id: A
                type: objective
                title: ~
                owner:
                level: null
                parents:
                metric: ~
            """);

        goal.Should().Be(new GoalDefinition("A", GoalType.Objective));
    }

    [Test]
    public void Read_NumericAndQuotedText_StaysText()
    {
        var goal = ReadGoal("  - { id: 1001, type: objective, title: \"true\", owner: 42, tags: [yes, 2026-01-01] }");

        goal.Id.Should().Be("1001");
        goal.Title.Should().Be("true");
        goal.Owner.Should().Be("42");
        goal.Tags.Should().Equal("yes", "2026-01-01");
    }

    [Test]
    public void Read_JsonInput_EqualsYamlInput()
    {
        const string json = """
            {
              "as_of": "2026-11-15",
              "period": "2026-Q4",
              "periods": { "2026-Q4": { "start": "2026-10-01", "end": "2026-12-31" }, "H2": { "start": "2026-07-01", "end": "2026-12-31" } },
              "settings": { "on_track_tolerance": 0.05, "at_risk_tolerance": 0.3, "max_objectives_per_owner": 7 },
              "goals": [
                { "id": "C1", "type": "objective", "level": "company", "title": "Grow recurring revenue", "owner": "ceo", "tags": ["growth", "2026"] },
                { "id": "C1.KR1", "type": "key_result", "title": "ARR reaches $50M", "parents": ["C1"],
                  "metric": { "direction": "increase", "start": 30, "target": 50, "current": 38, "unit": "M$", "key": "arr" } },
                { "id": "SALES", "type": "objective", "level": "department",
                  "parents": [{ "id": "C1.KR1", "weight": 2 }, { "id": "C2", "contributes": false }],
                  "state": "paused", "period": { "start": "2026-10-01", "end": "2026-12-31" }, "progress_override": 0.4 }
              ]
            }
            """;

        Read(json).Tree.ShouldEqualTree(Read(FullDocument).Tree);
    }

    [Test]
    public void Read_JsonNulls_MeanAbsent()
    {
        var goal = Read("""{ "goals": [ { "id": "A", "type": "key_result", "metric": { "direction": "increase", "target": 5, "current": null } } ] }""")
            .Tree.Goals.Single();

        goal.Metric!.Current.Should().BeNull();
    }

    [Test]
    public void Read_Utf8WithByteOrderMark_Reads()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes("goals: [{ id: Ä, type: objective }]")).ToArray();

        var result = GoalFileReader.Default.Read(new MemoryStream(bytes), FileName);

        result.Document!.Tree.Goals.Single().Id.Should().Be("Ä");
    }

    [Test]
    public void ReadFile_ExistingFile_ReadsWithItsPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"goals-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "goals: [{ id: A, type: objective }]");
        try
        {
            var result = GoalFileReader.Default.ReadFile(path);

            result.Document!.Path.Should().Be(path);
            result.Document.Tree.Goals.Should().ContainSingle();
        }
        finally
        {
            File.Delete(path);
        }
    }
}

using static AlignmentEngine.GoalFiles.Tests.GoalFileTestHelpers;

namespace AlignmentEngine.GoalFiles.Tests;

/// <summary>Every way a file can fail to be a goal file: each is one error with the exact place.</summary>
public sealed class GoalFileReaderErrorTests
{
    private static void ShouldFailAt(string content, int line, int column, params string[] messageParts)
    {
        var error = ReadError(content);

        error.Path.Should().Be(FileName);
        (error.Line, error.Column).Should().Be((line, column), error.ToString());
        foreach (var part in messageParts) error.Message.Should().Contain(part);
        error.ToString().Should().StartWith($"{FileName}:{line}:{column}: ");
    }

    [Test]
    public void Read_UnknownTopLevelKey_FailsAtTheKey() =>
        ShouldFailAt("as_of: 2026-01-01\ngaols: []\n", 2, 1, "unknown top-level key 'gaols'", "goals");

    [Test]
    public void Read_UnknownGoalKey_FailsAtTheKey() =>
        ShouldFailAt("goals:\n  - id: A\n    type: objective\n    titel: Typo\n", 4, 5, "unknown goal key 'titel'", "title");

    [Test]
    public void Read_UnknownMetricKey_FailsAtTheKey() =>
        ShouldFailAt("goals:\n  - { id: A, type: key_result, metric: { direction: increase, targt: 5 } }\n", 2, 63, "unknown metric key 'targt'");

    [Test]
    public void Read_UnknownParentEntryKey_FailsAtTheKey() =>
        ShouldFailAt("goals:\n  - { id: A, type: objective, parents: [{ id: B, wieght: 2 }] }\n", 2, 50, "unknown parents entry key 'wieght'", "weight");

    [Test]
    public void Read_UnknownSettingsKey_FailsAtTheKey() =>
        ShouldFailAt("settings:\n  on_track: 0.1\n", 2, 3, "unknown settings key 'on_track'", "on_track_tolerance");

    [Test]
    public void Read_UnknownPeriodKey_FailsAtTheKey() =>
        ShouldFailAt("periods:\n  Q1: { start: 2026-01-01, stop: 2026-03-31 }\n", 2, 28, "unknown period key 'stop'");

    [TestCase("type: goal", "level: team", "unknown type 'goal'", "objective, key_result")]
    [TestCase("level: galaxy", "type: objective", "unknown level 'galaxy'", "company, department, team, individual")]
    [TestCase("state: asleep", "type: objective", "unknown state 'asleep'", "draft, active, paused, completed, archived, cancelled")]
    public void Read_UnknownGoalEnumValue_NamesKeyAndAllowedValues(string field, string otherField, string problem, string allowed) =>
        ShouldFailAt($"goals:\n  - id: A\n    {otherField}\n    {field}\n", 4, 5 + field.IndexOf(' ', StringComparison.Ordinal) + 1, problem, allowed);

    [Test]
    public void Read_UnknownDirection_NamesAllowedValues() =>
        ShouldFailAt("goals:\n  - id: A\n    type: key_result\n    metric: { direction: up }\n", 4, 26,
            "unknown direction 'up'", "increase, decrease, at_least, at_most, milestone");

    [Test]
    public void Read_UnknownAggregate_NamesAllowedValues() =>
        ShouldFailAt("goals:\n  - id: A\n    type: key_result\n    metric: { direction: increase, aggregate: avg }\n", 4, 47,
            "unknown aggregate 'avg'", "none, sum");

    [TestCase("as_of: 2026-13-01", 1, 8)]
    [TestCase("as_of: 2026-02-30", 1, 8)]
    [TestCase("as_of: 15.11.2026", 1, 8)]
    [TestCase("as_of: yesterday", 1, 8)]
    public void Read_BadDate_FailsAtTheValue(string content, int line, int column) =>
        ShouldFailAt(content, line, column, "'as_of' must be a date written YYYY-MM-DD");

    [TestCase("target: lots", "'lots'")]
    [TestCase("target: \"5\"", "the text \"5\"")]
    [TestCase("target: 0x10", "'0x10'")]
    [TestCase("target: 1,5", "'1,5'")]
    [TestCase("target: 1_000", "'1_000'")]
    [TestCase("target: [5]", "a list")]
    public void Read_BadNumber_FailsAtTheValue(string field, string shown) =>
        ShouldFailAt($"goals:\n  - id: A\n    type: key_result\n    metric:\n      direction: at_least\n      {field}\n", 6, 15,
            "'target' must be a number", shown);

    [Test]
    public void Read_BadBoolean_FailsAtTheValue() =>
        ShouldFailAt("goals:\n  - { id: A, type: objective, parents: [{ id: B, contributes: yes }] }\n", 2, 63,
            "'contributes' must be true or false, not 'yes'");

    [Test]
    public void Read_FractionalMaxObjectives_FailsAtTheValue() =>
        ShouldFailAt("settings: { max_objectives_per_owner: 2.5 }\n", 1, 39, "'max_objectives_per_owner' must be a whole number");

    [Test]
    public void Read_NegativeTolerance_FailsAtTheValue() =>
        ShouldFailAt("settings: { on_track_tolerance: -0.1 }\n", 1, 33, "'on_track_tolerance' must be a finite number >= 0");

    [Test]
    public void Read_DuplicateGoalKey_FailsAtTheSecondKey() =>
        ShouldFailAt("goals:\n  - id: A\n    type: objective\n    id: B\n", 4, 5, "duplicate key 'id' in goal");

    [Test]
    public void Read_DuplicateTopLevelKey_FailsAtTheSecondKey() =>
        ShouldFailAt("goals: []\nas_of: 2026-01-01\ngoals: []\n", 3, 1, "duplicate key 'goals'");

    [Test]
    public void Read_DuplicatePeriodName_FailsAtTheSecondName() =>
        ShouldFailAt("periods:\n  Q1: { start: 2026-01-01, end: 2026-03-31 }\n  Q1: { start: 2026-01-01, end: 2026-03-31 }\n", 3, 3,
            "duplicate key 'Q1' in periods");

    [Test]
    public void Read_DuplicateJsonKey_FailsAtTheSecondKey() =>
        ShouldFailAt("{\"goals\": [{\"id\": \"A\", \"type\": \"objective\", \"type\": \"key_result\"}]}", 1, 45, "duplicate key 'type'");

    [TestCase("")]
    [TestCase("# only a comment\n")]
    [TestCase("\n\n")]
    public void Read_EmptyFile_FailsAtTheStart(string content) =>
        ShouldFailAt(content, 1, 1, "the file is empty");

    [Test]
    public void Read_NotYaml_FailsWithSyntaxPosition() =>
        ShouldFailAt("goals: [ { id: A, type: objective\n", 2, 1, "not valid YAML or JSON");

    [Test]
    public void Read_UnterminatedJson_FailsWithSyntaxPosition() =>
        ShouldFailAt("{ \"goals\": [ ] \n", 2, 1, "not valid YAML or JSON");

    [TestCase("just some words", "'just some words'")]
    [TestCase("- a\n- b\n", "a list")]
    [TestCase("~", "an empty value")]
    public void Read_RootNotMapping_Fails(string content, string shown) =>
        ShouldFailAt(content, 1, 1, "the top level must be a mapping", shown);

    [Test]
    public void Read_GoalsNotList_FailsAtTheValue() =>
        ShouldFailAt("goals:\n  id: A\n", 2, 3, "'goals' must be a list of goals, not a mapping");

    [Test]
    public void Read_GoalNotMapping_FailsAtTheEntry() =>
        ShouldFailAt("goals:\n  - A\n", 2, 5, "each goal must be a mapping, not 'A'");

    [Test]
    public void Read_GoalWithoutId_FailsAtTheGoal() =>
        ShouldFailAt("goals:\n  - { type: objective }\n", 2, 5, "a goal needs an 'id'");

    [Test]
    public void Read_GoalWithoutType_FailsAtTheGoal() =>
        ShouldFailAt("goals:\n  - { id: A }\n", 2, 5, "goal 'A' needs a 'type'");

    [TestCase("\"\"", "must not be empty")]
    [TestCase("\"a\\tb\"", "must not contain control characters")]
    public void Read_MalformedId_Fails(string id, string problem) =>
        ShouldFailAt($"goals:\n  - {{ id: {id}, type: objective }}\n", 2, 11, problem);

    [Test]
    public void Read_OverlongId_Fails() =>
        ShouldFailAt($"goals:\n  - {{ id: {new string('x', 129)}, type: objective }}\n", 2, 11, "at most 128 characters");

    [Test]
    public void Read_MetricWithoutDirection_FailsAtTheMetric() =>
        ShouldFailAt("goals:\n  - { id: A, type: key_result, metric: { target: 5 } }\n", 2, 40, "a metric needs a 'direction'");

    [Test]
    public void Read_DoneOnNonMilestone_FailsAtDone() =>
        ShouldFailAt("goals:\n  - { id: A, type: key_result, metric: { direction: increase, target: 5, done: true } }\n", 2, 74,
            "'done' is only for milestone metrics");

    [Test]
    public void Read_DoneAndCurrent_FailsAtTheLaterKey() =>
        ShouldFailAt("goals:\n  - { id: A, type: key_result, metric: { direction: milestone, current: 1, done: true } }\n", 2, 76,
            "'done' or 'current', not both");

    [Test]
    public void Read_PeriodMissingEnd_FailsAtThePeriod() =>
        ShouldFailAt("period: { start: 2026-01-01 }\n", 1, 9, "needs both 'start' and 'end'");

    [Test]
    public void Read_ParentsNotList_FailsAtTheValue() =>
        ShouldFailAt("goals:\n  - { id: A, type: objective, parents: B }\n", 2, 40, "'parents' must be a list, not 'B'");

    [Test]
    public void Read_TagsNotList_FailsAtTheValue() =>
        ShouldFailAt("goals:\n  - { id: A, type: objective, tags: { a: 1 } }\n", 2, 37, "'tags' must be a list, not a mapping");

    [Test]
    public void Read_TextWhereMappingExpected_FailsAtTheValue() =>
        ShouldFailAt("goals:\n  - { id: A, type: key_result, metric: 5 }\n", 2, 40, "'metric' must be a mapping, not '5'");

    [Test]
    public void Read_ListWhereTextExpected_FailsAtTheValue() =>
        ShouldFailAt("goals:\n  - { id: A, type: objective, title: [a, b] }\n", 2, 38, "'title' must be text, not a list");

    [Test]
    public void Read_SecondDocument_Fails() =>
        ShouldFailAt("goals: []\n---\ngoals: []\n", 2, 1, "one YAML document");

    [Test]
    public void Read_Anchor_Fails() =>
        ShouldFailAt("periods:\n  Q1: &q { start: 2026-01-01, end: 2026-03-31 }\n", 2, 7, "anchors (&q) are not allowed");

    [Test]
    public void Read_Alias_Fails() =>
        ShouldFailAt("goals:\n  - { id: A, type: objective, title: x }\n  - { id: B, type: objective, title: *x }\n", 3, 38, "aliases (*x) are not allowed");

    [Test]
    public void Read_BillionLaughs_FailsAtTheFirstAnchor()
    {
        var lines = new List<string> { "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]" };
        for (var i = 1; i < 10; i++) lines.Add($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]");

        var error = ReadError(string.Join('\n', lines));

        (error.Line, error.Column).Should().Be((1, 1), "the unknown key comes first: nothing is ever expanded");
    }

    [Test]
    public void Read_CustomTag_Fails() =>
        ShouldFailAt("goals:\n  - { id: !secret A, type: objective }\n", 2, 11, "the tag '!secret' is not allowed");

    [Test]
    public void Read_StringTag_IsText()
    {
        var goal = ReadGoal("  - { id: !!str 5, type: objective }");

        goal.Id.Should().Be("5");
    }

    [Test]
    public void Read_ComplexKey_Fails() =>
        ShouldFailAt("? [a, b]\n: 1\n", 1, 3, "top-level keys must be names, not a list");

    [Test]
    public void Read_InvalidUtf8_FailsAsNotText()
    {
        var bytes = "goals: [{ id: "u8.ToArray().Concat(new byte[] { 0xC3, 0x28 }).Concat(", type: objective }]"u8.ToArray()).ToArray();

        var result = GoalFileReader.Default.Read(new MemoryStream(bytes), FileName);

        result.Error!.Message.Should().Be("the file is not UTF-8 text");
    }

    [Test]
    public void ReadFile_MissingFile_FailsWithoutThrowing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.yaml");

        var result = GoalFileReader.Default.ReadFile(path);

        result.Error!.Path.Should().Be(path);
        result.Error.Message.Should().StartWith("cannot read the file");
    }

    [Test]
    public void Read_HugeScalarInMessage_IsShortened()
    {
        var error = ReadError($"{new string('k', 100_000)}: 1\n");

        error.Message.Length.Should().BeLessThan(300);
    }
}

using System.Text.Json;

namespace AlignmentEngine.Tests.Shared;

/// <summary>
/// The comparison shared/conformance/README.md defines: valid; every goal's id, health, counted and level
/// equal; progress, attainment and expected within 1e-9; findings equal on code, severity, goal and related,
/// in order. Messages are free text and not compared.
/// </summary>
internal static class ConformanceComparison
{
    private const double Tolerance = 1e-9;

    public static void ShouldMatchExpected(string actualJson, string expectedJson)
    {
        using var actualDocument = JsonDocument.Parse(actualJson);
        using var expectedDocument = JsonDocument.Parse(expectedJson);
        var actual = actualDocument.RootElement;
        var expected = expectedDocument.RootElement;

        actual.GetProperty("valid").GetBoolean().Should().Be(expected.GetProperty("valid").GetBoolean(), "valid");

        var actualGoals = actual.GetProperty("goals").EnumerateArray().ToArray();
        var expectedGoals = expected.GetProperty("goals").EnumerateArray().ToArray();
        actualGoals.Select(g => g.GetProperty("id").GetString()).Should().Equal(expectedGoals.Select(g => g.GetProperty("id").GetString()), "goal ids");
        for (var i = 0; i < expectedGoals.Length; i++)
        {
            var (a, e) = (actualGoals[i], expectedGoals[i]);
            var id = e.GetProperty("id").GetString();
            Text(a, "health").Should().Be(Text(e, "health"), $"{id} health");
            a.GetProperty("counted").GetBoolean().Should().Be(e.GetProperty("counted").GetBoolean(), $"{id} counted");
            Text(a, "level").Should().Be(Text(e, "level"), $"{id} level");
            foreach (var number in new[] { "progress", "attainment", "expected" })
            {
                var (actualValue, expectedValue) = (Number(a, number), Number(e, number));
                if (expectedValue is null) actualValue.Should().BeNull($"{id} {number}");
                else actualValue.Should().NotBeNull($"{id} {number}").And.BeApproximately(expectedValue.Value, Tolerance, $"{id} {number}");
            }
        }

        actual.GetProperty("findings").EnumerateArray().Select(Key).Should()
            .Equal(expected.GetProperty("findings").EnumerateArray().Select(Key), "findings (code, severity, goal, related), in order");
    }

    private static string Key(JsonElement finding) =>
        $"{Text(finding, "code")} {Text(finding, "severity")} {Text(finding, "goal")} [{string.Join(", ", finding.GetProperty("related").EnumerateArray().Select(r => r.GetString()))}]";

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetDouble() : null;
}

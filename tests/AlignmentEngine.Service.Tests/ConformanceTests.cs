using AlignmentEngine.Api.V1;
using Grpc.Core;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.Service.Tests;

/// <summary>Every conformance vector through the service, as an HRIS or a CI pipeline would send it.</summary>
public sealed class ConformanceTests : ServerFixture
{
    // On the real clock: the vectors' as_of dates (in the past or not) only say when pace and health are judged, so the
    // answers are the roll-ups of the trees as they stand, which is what the vectors specify.

    [TestCaseSource(typeof(RepoPaths), nameof(RepoPaths.ConformanceCases))]
    public async Task ValidateTree_ConformanceVector_EqualsExpected(string path)
    {
        var tree = ReadTree(path);

        var response = await Client.ValidateTreeAsync(new ValidateTreeRequest { Tree = tree });

        ConformanceComparison.ShouldMatchExpected(
            SpecJson.From(response.Goals, response.Findings, response.Valid),
            await File.ReadAllTextAsync(RepoPaths.ExpectedFor(path)));
    }

    [TestCaseSource(typeof(RepoPaths), nameof(RepoPaths.ConformanceCases))]
    public async Task ImportTreeThenGetRollupAndAnalyze_ConformanceVector_EqualsExpected(string path)
    {
        var tree = ReadTree(path);
        var tenant = "conf-" + Path.GetFileName(path)[..2];
        var expected = await File.ReadAllTextAsync(RepoPaths.ExpectedFor(path));
        var asOf = tree.AsOf ?? Date(2026, 11, 22);

        using (var document = System.Text.Json.JsonDocument.Parse(expected))
        {
            if (!document.RootElement.GetProperty("valid").GetBoolean())
            {
                // An invalid tree is refused whole, with its errors as precondition violations in the spec's order.
                var refused = Assert.ThrowsAsync<RpcException>(() => ImportAsync(tenant, tree))!;
                refused.StatusCode.Should().Be(StatusCode.FailedPrecondition);
                var violations = refused.GetRpcStatus()!.Details.Single().Unpack<Google.Rpc.PreconditionFailure>().Violations;
                violations.Select(v => v.Type).Should().Equal(
                    document.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()));
                return;
            }
        }

        await ImportAsync(tenant, tree);
        var goals = new List<GoalStatus>();
        foreach (var goal in tree.Goals.Select(g => g.GoalId).Order(StringComparer.Ordinal))
        {
            goals.Add((await Client.GetRollupAsync(new GetRollupRequest { Name = $"tenants/{tenant}/goals/{goal}", AsOf = asOf })).Status);
        }

        var analysis = await Client.AnalyzeAlignmentAsync(new AnalyzeAlignmentRequest { Parent = $"tenants/{tenant}", AsOf = asOf });
        ConformanceComparison.ShouldMatchExpected(SpecJson.From(goals, analysis.Findings, true), expected);
    }
}

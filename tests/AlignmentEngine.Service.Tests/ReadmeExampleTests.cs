using System.Text.RegularExpressions;
using AlignmentEngine.Api.V1;
using AlignmentEngine.Tests.Shared;
using Google.Protobuf;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// The README's grpcurl session, its JSON bodies read from README.md itself, against <c>okr serve --seed</c> as the
/// README starts it, on whatever day the test runs: every call answers OK.
/// </summary>
public sealed partial class ReadmeExampleTests
{
    [Test]
    public async Task ReadmeGrpcurlSession_OnAFreshlySeededServer_AnswersEveryCall()
    {
        var all = GrpcurlCall().Matches(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md")))
            .Select(m => (Method: m.Groups["method"].Value, Json: m.Groups["json"].Value))
            .ToList();
        // The Webhooks section's CreateWebhook names a public host, which resolves nowhere without a network: its body
        // is checked to be a request the service reads; WebhookTests create subscriptions on a receiver of their own.
        var webhooks = all.Where(c => c.Method == "CreateWebhook").ToList();
        webhooks.Should().ContainSingle();
        JsonParser.Default.Parse<CreateWebhookRequest>(webhooks[0].Json).Webhook.Url.Should().StartWith("https://");
        var calls = all.Except(webhooks).ToList();
        var store = Path.Combine(Path.GetTempPath(), $"okr-readme-{Guid.NewGuid():N}.db");
        try
        {
            using var server = OkrServer.Start("sqlite:" + store, "--seed", Path.Combine(RepoPaths.Conformance, "01-basic-rollup.yaml"));

            calls.Select(c => c.Method).Should().Equal("GetRollup", "SimulateChanges", "ApplyChanges");
            var rollup = await server.Client.GetRollupAsync(JsonParser.Default.Parse<GetRollupRequest>(calls[0].Json));
            var simulated = await server.Client.SimulateChangesAsync(JsonParser.Default.Parse<SimulateChangesRequest>(calls[1].Json));
            var applied = await server.Client.ApplyChangesAsync(JsonParser.Default.Parse<ApplyChangesRequest>(calls[2].Json));

            rollup.Version.Should().Be(1);
            rollup.Contributions.Should().NotBeEmpty();
            simulated.Version.Should().Be(1);
            applied.Version.Should().Be(2);
        }
        finally
        {
            foreach (var file in new[] { store, store + "-wal", store + "-shm" }) File.Delete(file);
        }
    }

    [GeneratedRegex(@"grpcurl -plaintext -d '(?<json>\{[^']*\})' \\\s*127\.0\.0\.1:50051 okr\.alignment\.v1\.AlignmentService/(?<method>\w+)")]
    private static partial Regex GrpcurlCall();
}

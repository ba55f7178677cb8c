using AlignmentEngine.Api.V1;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;

namespace AlignmentEngine.EndToEnd.Tests;

/// <summary>
/// <c>okr serve --seed FILE</c> on a store that already holds the tenant: left as it is, saying so in the start
/// line, unless <c>--seed-replace</c> asks for the file to replace it.
/// </summary>
public sealed class ServeSeedTests
{
    private const string First = "goals:\n  - { id: C1, type: objective, level: company, title: First }\n";
    private const string Edited = "goals:\n  - { id: C1, type: objective, level: company, title: Edited }\n  - { id: C2, type: objective, level: company }\n";

    [Test]
    public async Task Serve_SeedOnAnExistingTenant_SaysTheFileWasNotLoaded_AndSeedReplaceLoadsIt()
    {
        var store = new SqliteProvider().NewLocation();
        var seed = Path.Combine(Path.GetTempPath(), $"okr-seed-{Guid.NewGuid():N}.yaml");
        try
        {
            await File.WriteAllTextAsync(seed, First);
            using (var server = OkrServer.Start(store, "--seed", seed))
            {
                server.StartLine.Should().Contain($"tenant 'tenants/demo' seeded from {seed}");
            }

            await File.WriteAllTextAsync(seed, Edited);
            using (var server = OkrServer.Start(store, "--seed", seed))
            {
                server.StartLine.Should().Contain($"tenant 'tenants/demo' already exists (version 1): {seed} was not loaded (--seed-replace replaces it)");
                (await server.Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/demo/goals/C1" })).Goal.Title.Should().Be("First");
            }

            using (var server = OkrServer.Start(store, "--seed", seed, "--seed-replace"))
            {
                server.StartLine.Should().Contain($"tenant 'tenants/demo' replaced by {seed} (version 2)");
                (await server.Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/demo/goals/C1" })).Goal.Title.Should().Be("Edited");
                (await server.Client.GetGoalAsync(new GetGoalRequest { Name = "tenants/demo/goals/C2" })).Goal.Name.Should().EndWith("/C2");
            }
        }
        finally
        {
            File.Delete(seed);
        }
    }
}

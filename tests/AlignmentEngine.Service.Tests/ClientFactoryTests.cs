using AlignmentEngine.Api.V1;
using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentEngine.Service.Tests;

/// <summary>
/// The registration an integrator's .NET service makes (README, "From .NET"): the generated client from
/// Grpc.Net.ClientFactory, with retries of UNAVAILABLE (writes on an unavailable store, a server shutting down) and a
/// deadline on every call.
/// </summary>
public sealed class ClientFactoryTests : ServerFixture
{
    [Test]
    public async Task AddGrpcClient_WithRetriesAndADeadline_Calls()
    {
        await SeedCompanyAsync("factory");
        var services = new ServiceCollection();
        services.AddGrpcClient<AlignmentClient>(o => o.Address = Address)
            .ConfigureChannel(channel => channel.ServiceConfig = new ServiceConfig
            {
                MethodConfigs =
                {
                    new MethodConfig
                    {
                        Names = { MethodName.Default },
                        RetryPolicy = new RetryPolicy
                        {
                            MaxAttempts = 4,
                            InitialBackoff = TimeSpan.FromMilliseconds(200),
                            MaxBackoff = TimeSpan.FromSeconds(2),
                            BackoffMultiplier = 2,
                            RetryableStatusCodes = { StatusCode.Unavailable },
                        },
                    },
                },
            });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<AlignmentClient>();

        var rollup = await client.GetRollupAsync(new GetRollupRequest { Name = "tenants/factory/goals/C1" }, deadline: DateTime.UtcNow.AddSeconds(5));

        rollup.Status.GoalId.Should().Be("C1");
    }
}

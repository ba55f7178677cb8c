using AlignmentEngine.Api.V1;
using AlignmentEngine.Service.Capacity;
using AlignmentEngine.Service.Pipeline;
using AlignmentEngine.Service.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AlignmentEngine.Service.Tests;

/// <summary>Calls to tenants through a silo's front of an in-process test cluster, as the memory budget's tests make them.</summary>
internal static class GrainClusterCalls
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static IServiceProvider Services(SiloHandle silo) => ((InProcessSiloHandle)silo).SiloHost.Services;

    public static ResidentGoals Residents(SiloHandle silo) => Services(silo).GetRequiredService<ResidentGoals>();

    /// <summary>Adds <paramref name="goals"/> company objectives to <paramref name="tenant"/>, named with <paramref name="prefix"/>, in one write.</summary>
    public static Task<ApplyChangesResponse> Write(SiloHandle silo, string tenant, int goals, string prefix = "G") =>
        Write(silo, tenant, [.. Enumerable.Range(0, goals).Select(k => $"{prefix}{k}")]);

    /// <summary>Adds the company objectives <paramref name="goalIds"/> to <paramref name="tenant"/> in one write through <paramref name="silo"/>'s front.</summary>
    public static async Task<ApplyChangesResponse> Write(SiloHandle silo, string tenant, params string[] goalIds)
    {
        var request = new ApplyChangesRequest { Parent = $"tenants/{tenant}" };
        foreach (var goal in goalIds)
        {
            request.Changes.Add(new GoalChange { UpsertGoal = new Goal { GoalId = goal, Type = GoalType.Objective, Level = GoalLevel.Company } });
        }

        // TenantGrains answers as the front sends (the grain's bytes, fields unset): decoded here to be read.
        return PreEncodedResponses.Decoded(await Services(silo).GetRequiredService<TenantGrains>().Write(tenant, TenantMethods.ApplyChanges, request, ApplyChangesResponse.Parser));
    }

    public static async Task<GetGoalResponse> Read(SiloHandle silo, string tenant, string goal) =>
        PreEncodedResponses.Decoded(await Services(silo).GetRequiredService<TenantGrains>().Read(tenant, TenantMethods.GetGoal, new GetGoalRequest { Name = $"tenants/{tenant}/goals/{goal}" }, GetGoalResponse.Parser));

    /// <summary>
    /// Deactivates every idle tenant of the cluster (as idle collection does) and waits until only the pinned are held.
    /// A collection takes only what is idle at that moment, so one that finds a tenant still finishing a call (a loaded
    /// machine's slow write) is asked for again, as idle collection's next round would come.
    /// </summary>
    public static async Task DeactivateIdle(TestCluster cluster)
    {
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        var collected = DateTime.MinValue;
        await Until(
            () => cluster.Silos.All(s => Residents(s).Count == Services(s).GetRequiredService<TenantDirectory>().Loaded.Count(t => t.Webhooks.Any)),
            "the idle tenants to be deactivated",
            async () =>
            {
                if (DateTime.UtcNow - collected < TimeSpan.FromSeconds(1)) return;
                collected = DateTime.UtcNow;
                await management.ForceActivationCollection(TimeSpan.Zero);
            });
    }

    /// <summary>Waits until <paramref name="done"/>, doing <paramref name="meanwhile"/> (if any) before each look, for at most <see cref="Bound"/>.</summary>
    public static async Task Until(Func<bool> done, string what, Func<Task>? meanwhile = null)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            if (meanwhile is not null) await meanwhile();
            if (done()) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"waited {Bound.TotalSeconds} s for {what}");
            await Task.Delay(50);
        }
    }
}

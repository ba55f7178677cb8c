using AlignmentEngine.Api.V1;
using AlignmentEngine.Service.Mapping;

namespace AlignmentEngine.Storage.Tests.Support;

/// <summary>Requests as a client builds them.</summary>
internal static class Requests
{
    public static Google.Type.Date Date(DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    public static ApplyChangesRequest Changes(string tenant, params Api.V1.GoalChange[] changes)
    {
        var request = new ApplyChangesRequest { Parent = $"tenants/{tenant}" };
        request.Changes.AddRange(changes);
        return request;
    }

    public static Api.V1.GoalChange Upsert(Core.GoalDefinition goal) => new() { UpsertGoal = ToProto.Goal("t", goal, null) };

    public static Api.V1.GoalChange CheckIn(string id, double value) => new() { CheckIn = new Api.V1.CheckIn { GoalId = id, Value = value } };

    public static async Task<ImportTreeResponse> ImportAsync(AlignmentClient client, string tenant, Core.GoalTree tree, int chunk = 500)
    {
        using var call = client.ImportTree();
        await call.RequestStream.WriteAsync(new ImportTreeRequest { Parent = $"tenants/{tenant}", Settings = ToProto.Settings(tree) });
        foreach (var part in tree.Goals.Chunk(chunk))
        {
            var message = new ImportTreeRequest();
            message.Goals.AddRange(part.Select(g => ToProto.Goal("t", g, null)));
            await call.RequestStream.WriteAsync(message);
        }

        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }

    /// <summary>The whole tenant as ExportTree streams it: version, and the tree in core terms.</summary>
    public static async Task<(long Version, List<Api.V1.Goal> Goals)> ExportAsync(AlignmentClient client, string tenant)
    {
        using var call = client.ExportTree(new ExportTreeRequest { Parent = $"tenants/{tenant}" });
        long version = -1;
        var goals = new List<Api.V1.Goal>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            if (version < 0) version = call.ResponseStream.Current.Version;
            goals.AddRange(call.ResponseStream.Current.Goals);
        }

        return (version, goals);
    }
}

using AlignmentEngine.Api.V1;
using Grpc.Core;

namespace AlignmentEngine.Storage.Tests.Support;

/// <summary>
/// A change sent as a client does across a failover: one that fails (its tenant's silo died under it, or the call timed
/// out: it may or may not have committed) is sent again, the same request with the same request_id, until acknowledged.
/// </summary>
internal static class RetriedWrite
{
    /// <summary>The acknowledged response; each failed attempt is told to <paramref name="retried"/>. Fails the call after <paramref name="patience"/>.</summary>
    public static async Task<ApplyChangesResponse> ApplyAsync(AlignmentClient client, ApplyChangesRequest request, TimeSpan patience, Action? retried = null)
    {
        var giveUp = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                return await client.ApplyChangesAsync(request, deadline: DateTime.UtcNow.AddSeconds(5));
            }
            catch (RpcException) when (DateTime.UtcNow < giveUp)
            {
                retried?.Invoke();
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }
}

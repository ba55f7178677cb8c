using AlignmentEngine.Api.V1;

namespace AlignmentEngine.Soak;

/// <summary>
/// One WatchRollups stream from the import's version on: every commit must arrive, once, in order (version
/// last + 1). A gap, a repeat or an early end of the stream is an error.
/// </summary>
internal sealed class Watcher(AlignmentService.AlignmentServiceClient client, Tally tally, long fromVersion, string? subtree)
{
    private readonly long _from = fromVersion;
    private long _last = fromVersion;

    public long LastVersion => Interlocked.Read(ref _last);

    public long Events { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        var request = new WatchRollupsRequest { Parent = SoakTree.Parent, SinceVersion = _from, SubtreeGoalId = subtree ?? string.Empty };
        try
        {
            using var watch = client.WatchRollups(request);
            while (await watch.ResponseStream.MoveNext(stop).ConfigureAwait(false))
            {
                var version = watch.ResponseStream.Current.Version;
                if (version != LastVersion + 1) tally.Error("watch", $"after version {LastVersion} came {version}");
                Interlocked.Exchange(ref _last, version);
                Events++;
            }

            if (!stop.IsCancellationRequested) tally.Error("watch", $"the stream ended at version {LastVersion}");
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled })
        {
            // Stopped by the driver.
        }
        catch (Grpc.Core.RpcException e)
        {
            tally.Error("watch", $"{e.StatusCode}: {e.Status.Detail}");
        }
    }
}

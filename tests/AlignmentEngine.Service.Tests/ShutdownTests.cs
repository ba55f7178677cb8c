using System.Diagnostics;
using AlignmentEngine.Api;
using AlignmentEngine.Api.V1;
using AlignmentEngine.Rpc;

namespace AlignmentEngine.Service.Tests;

/// <summary>Stopping the server: open watches end with UNAVAILABLE (retryable) at once, and do not hold the shutdown up.</summary>
public sealed class ShutdownTests
{
    [Test]
    public async Task Stop_EndsOpenWatchesWithUnavailable_Promptly()
    {
        var folder = Path.Combine(Path.GetTempPath(), "okr-service-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var host = AlignmentServer.Create(new GrpcServerHostOptions(), options => options.Store = $"sqlite:{Path.Combine(folder, "alignment.db")}");
            await using (host)
            {
                await host.StartAsync();
                using var channel = GrpcChannel.ForAddress(host.Addresses[0]);
                var client = new AlignmentClient(channel);
                using var watch = client.WatchRollups(new WatchRollupsRequest { Parent = "tenants/stopping" });
                await watch.ResponseHeadersAsync;
                var next = watch.ResponseStream.MoveNext(CancellationToken.None);

                var clock = Stopwatch.StartNew();
                await host.StopAsync();

                clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a watch must not hold the shutdown up to its timeout");
                var error = Assert.ThrowsAsync<RpcException>(() => next)!;
                error.StatusCode.Should().Be(StatusCode.Unavailable);
                error.Status.Message.Should().Contain("shutting down");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

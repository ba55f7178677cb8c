using System.Diagnostics;
using AlignmentEngine.Api.V1;
using Grpc.Net.Client;
using AlignmentEngine.Soak;

// The soak driver: imports a tenant into a running okr serve, then drives writers, readers and watchers at it
// for --minutes while sampling the server's memory; prints a result table and exits non-zero on any error, on a
// watcher that missed a version, or on memory growth beyond --max-growth-mib after warm-up. scripts/soak runs it.
SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"soak: {e.Message}");
    return 2;
}

using var channel = GrpcChannel.ForAddress(options.Address);
var client = new AlignmentService.AlignmentServiceClient(channel);
var tree = new SoakTree(options.Departments, options.KeyResults);
var loadAtStart = Machine.Load();

using (var import = client.ImportTree())
{
    await import.RequestStream.WriteAsync(new ImportTreeRequest { Parent = SoakTree.Parent });
    foreach (var part in tree.Goals().Chunk(500))
    {
        var message = new ImportTreeRequest();
        message.Goals.AddRange(part);
        await import.RequestStream.WriteAsync(message);
    }

    await import.RequestStream.CompleteAsync();
    var imported = await import.ResponseAsync;
    var tally = new Tally();
    var clock = Stopwatch.StartNew();
    using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(options.Minutes));
    using var stopWatching = new CancellationTokenSource();
    using var stopSampling = new CancellationTokenSource();

    // Half the watchers see the whole tenant, half one department's subtree: each still gets every version.
    var watchers = Enumerable.Range(0, options.Watchers)
        .Select(w => new Watcher(client, tally, imported.Version, w % 2 == 0 ? null : SoakTree.Department(w % options.Departments))).ToList();
    var sampler = new MemorySampler(options.ServerPid, options.SampleEvery);
    var sampling = sampler.RunAsync(clock, stopSampling.Token);
    var watching = watchers.Select(w => Task.Run(() => w.RunAsync(stopWatching.Token))).ToList();
    var keyResults = tree.KeyResultsAtStart().ToList();
    var writers = Enumerable.Range(0, options.Writers)
        .Select(w => new Writer(client, tally, tree, [.. keyResults.Where((_, k) => k % options.Writers == w)], seed: 1000 + w)).ToList();
    var readers = Enumerable.Range(0, options.Readers).Select(r => new Reader(client, tally, tree, seed: 2000 + r)).ToList();
    await Task.WhenAll(writers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).Concat(readers.Select(r => Task.Run(() => r.RunAsync(stop.Token)))));
    var driving = clock.Elapsed;

    // Every watcher must reach the last committed version; a bounded wait for the stragglers.
    var final = (await client.ListGoalsAsync(new ListGoalsRequest { Parent = SoakTree.Parent, PageSize = 1 })).Version;
    var until = DateTime.UtcNow.AddSeconds(30);
    while (watchers.Any(w => w.LastVersion < final) && DateTime.UtcNow < until) await Task.Delay(100);
    foreach (var w in watchers.Where(w => w.LastVersion < final)) tally.Error("watch", $"stopped at version {w.LastVersion} of {final}");
    await stopWatching.CancelAsync();
    await Task.WhenAll(watching);
    await stopSampling.CancelAsync();
    await sampling;

    var report = new SoakReport(options, tally, sampler.Samples, watchers.Select(w => w.Events).ToList(), imported.Version, final, driving, loadAtStart, Machine.Load());
    report.Print(Console.Out);
    return report.Passed ? 0 : 1;
}

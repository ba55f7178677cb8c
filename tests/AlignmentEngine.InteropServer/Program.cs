using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using AlignmentEngine.Service.Hosting;
using AlignmentEngine.InteropServer;
using Grpc.HealthCheck;
using Microsoft.Extensions.DependencyInjection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;
using Microsoft.AspNetCore.Builder;

// Usage: AlignmentEngine.InteropServer [--port N] [--baseline] [--stop-on-stdin-eof] [--stats]
// Prints "listening on port N" once ready; stops on SIGTERM/SIGINT, or when stdin closes if asked to. With --stats,
// each SIGUSR1 writes one line of the runtime's counters to standard error (scripts/bench-transport reads them).
var port = 0;
var watchStdin = false;
var baseline = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--baseline": baseline = true; break;
        case "--stop-on-stdin-eof": watchStdin = true; break;
        case "--stats": break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var stats = args.Contains("--stats") ? PosixSignalRegistration.Create(SigUsr1(), PrintStats) : null;
if (watchStdin)
{
    // The test fixture closes our stdin to stop us: no signal needed, and no orphan if it dies.
    _ = Task.Run(() =>
    {
        while (Console.In.Read() >= 0)
        {
        }

        stop.Cancel();
    });
}

if (baseline)
{
    await RunBaselineAsync(port, stop.Token).ConfigureAwait(false);
    return 0;
}

// The standard stack as the service runs it (GrpcServerHost: Kestrel h2c, its logging, its routing of gRPC calls), with
// Grpc.HealthCheck and server reflection beside the interop service.
var health = new HealthServiceImpl();
health.SetStatus(string.Empty, ServingStatus.Serving);
await using var server = GrpcServerHost.Create(new GrpcServerHostOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, port) }, services =>
{
    services.AddGrpc();
    services.AddGrpcReflection();
    services.AddSingleton<AlignmentEngine.InteropServer.InteropService>();
    services.AddSingleton(health);
}, app =>
{
    GrpcServerHost.UseGrpcRouting(app);
    app.MapGrpcService<AlignmentEngine.InteropServer.InteropService>();
    app.MapGrpcService<HealthServiceImpl>();
    app.MapGrpcReflectionService();
});
await RunUntilStoppedAsync(server, stop.Token).ConfigureAwait(false);
return 0;

// SIGUSR1, which PosixSignal has no name for (a raw value is accepted on Unix).
static PosixSignal SigUsr1() => (PosixSignal)10;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

// The benchmark's counters, at the moment it asks: bytes allocated, collections of each generation, methods compiled
// and time spent compiling (a round should start once the JIT has settled), thread-pool work items run and lock
// contentions (how many hops and waits a call costs).
static void PrintStats(PosixSignalContext context)
{
    context.Cancel = true;
    Console.Error.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"stats allocated={GC.GetTotalAllocatedBytes()} gen0={GC.CollectionCount(0)} gen1={GC.CollectionCount(1)} gen2={GC.CollectionCount(2)} jit-methods={System.Runtime.JitInfo.GetCompiledMethodCount()} jit-ms={System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:0} work-items={ThreadPool.CompletedWorkItemCount} lock-contentions={Monitor.LockContentionCount}"));
}

// A bare Kestrel HTTP/2 endpoint: no gRPC framework, only what any server must do for the benchmark's UnaryCall.
static async Task RunBaselineAsync(int port, CancellationToken cancellationToken)
{
    // The same host as the real stack (Kestrel options, logging), with one request delegate instead of gRPC.
    await using var server = GrpcServerHost.Create(new GrpcServerHostOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, port) }, _ => { }, app => app.Run(BareUnaryCall.AnswerAsync));
    await RunUntilStoppedAsync(server, cancellationToken).ConfigureAwait(false);
}

// Starts, prints the port the tests and benchmarks read, and stops when asked.
static async Task RunUntilStoppedAsync(GrpcServerHost server, CancellationToken cancellationToken)
{
    await server.StartAsync(cancellationToken).ConfigureAwait(false);
    Console.WriteLine($"listening on port {server.Port}");
    await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
    try
    {
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
    }
    catch (OperationCanceledException)
    {
        // Asked to stop.
    }

    await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
}

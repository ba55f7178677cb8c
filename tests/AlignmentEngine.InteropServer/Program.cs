using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using AlignmentEngine.Testing.V1;
using Google.Protobuf;
using Grpc.HealthCheck;
using Microsoft.Extensions.DependencyInjection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

// Usage: AlignmentEngine.InteropServer [--port N] [--baseline [--response-size N]] [--stop-on-stdin-eof] [--gc-stats]
// Prints "listening on port N" once ready; stops on SIGTERM/SIGINT, or when stdin closes if asked to.
var port = 0;
var watchStdin = false;
var baseline = false;
var responseSize = 16;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--baseline": baseline = true; break;
        case "--stop-on-stdin-eof": watchStdin = true; break;
        case "--gc-stats": _ = Task.Run(PrintGcStatsAsync); break;
        case "--response-size": responseSize = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
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
    await RunBaselineAsync(port, responseSize, stop.Token).ConfigureAwait(false);
    return 0;
}

// The standard stack as the service uses it: Grpc.AspNetCore on Kestrel h2c, Grpc.HealthCheck, server reflection.
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2);
});
builder.Services.AddGrpc();
builder.Services.AddGrpcReflection();
builder.Services.AddSingleton<AlignmentEngine.InteropServer.InteropService>();
var health = new HealthServiceImpl();
health.SetStatus(string.Empty, ServingStatus.Serving);
builder.Services.AddSingleton(health);
await using var app = builder.Build();
app.MapGrpcService<AlignmentEngine.InteropServer.InteropService>();
app.MapGrpcService<HealthServiceImpl>();
app.MapGrpcReflectionService();
await RunUntilStoppedAsync(app, stop.Token).ConfigureAwait(false);
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

// Diagnostics for the benchmark: allocated bytes and collections, every 2 seconds, on stderr.
static async Task PrintGcStatsAsync()
{
    while (true)
    {
        await Task.Delay(2000).ConfigureAwait(false);
        await Console.Error.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"gc-stats allocated={GC.GetTotalAllocatedBytes()} gen0={GC.CollectionCount(0)} gen1={GC.CollectionCount(1)} gen2={GC.CollectionCount(2)}")).ConfigureAwait(false);
    }
}

// A bare Kestrel HTTP/2 endpoint: no gRPC framework, just the bytes the gRPC server sends for the
// benchmark's UnaryCall (headers, one framed UnaryCallResponse, grpc-status trailer).
static async Task RunBaselineAsync(int port, int responseSize, CancellationToken cancellationToken)
{
    var message = new UnaryCallResponse { Payload = new Payload { Type = PayloadType.Compressable, Body = ByteString.CopyFrom(new byte[responseSize]) } }.ToByteArray();
    var frame = new byte[5 + message.Length];
    BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
    message.CopyTo(frame, 5);

    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.WebHost.ConfigureKestrel(k =>
    {
        k.AddServerHeader = false;
        k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2);
    });
    await using var app = builder.Build();
    app.Run(async context =>
    {
        // Drain the request like a real handler would, then answer.
        while (true)
        {
            var read = await context.Request.BodyReader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            context.Request.BodyReader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-accept-encoding"] = "identity,gzip";
        await context.Response.BodyWriter.WriteAsync(frame, context.RequestAborted).ConfigureAwait(false);
        context.Response.AppendTrailer("grpc-status", "0");
    });
    await RunUntilStoppedAsync(app, cancellationToken).ConfigureAwait(false);
}

// Starts, prints the port the tests and benchmarks read, and stops when asked.
static async Task RunUntilStoppedAsync(WebApplication app, CancellationToken cancellationToken)
{
    await app.StartAsync(cancellationToken).ConfigureAwait(false);
    var address = app.Urls.First();
    Console.WriteLine($"listening on port {new Uri(address).Port}");
    await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
    try
    {
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
    }
    catch (OperationCanceledException)
    {
        // Asked to stop.
    }

    await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
}

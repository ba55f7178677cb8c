using AlignmentEngine.Rpc.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace AlignmentEngine.Rpc;

/// <summary>
/// A ready-made Kestrel host for gRPC services: one HTTP/2 endpoint, the transport as the whole
/// request pipeline. For an existing ASP.NET Core app use <see cref="GrpcKestrelExtensions.UseGrpc"/>,
/// <see cref="GrpcServiceCollectionExtensions.AddGrpcService{TService}"/> and
/// <see cref="GrpcServiceCollectionExtensions.UseGrpcTransport"/> instead.
/// </summary>
public sealed class GrpcServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcServerHost(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    /// <summary>The bound addresses, e.g. <c>http://127.0.0.1:50051</c>; known after <see cref="StartAsync"/>.</summary>
    public IReadOnlyList<Uri> Addresses =>
        [.. (_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Select(a => new Uri(a))];

    /// <summary>The bound port (the actual one when the endpoint asked for port 0).</summary>
    public int Port => Addresses[0].Port;

    public static GrpcServerHost Create(GrpcServerHostOptions options, Action<IServiceCollection> configureServices)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configureServices);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        ConfigureConsoleLog(builder.Logging, options.LogFormat);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
            kestrel.Listen(options.Endpoint, listen => listen.UseGrpc(options.Certificate));
        });
        builder.Services.AddGrpcTransport();
        configureServices(builder.Services);
        var app = builder.Build();
        app.UseGrpcTransport();
        return new GrpcServerHost(app);
    }

    /// <summary>
    /// Log lines go to standard error, whatever the format: standard output stays the program's own (okr serve's
    /// "listening on" line, which scripts read), and a JSON log stays one object per line. JSON lines carry the current
    /// span's trace and span ids (in <c>Scopes</c>), which is how a log line is found from a trace and back.
    /// </summary>
    private static void ConfigureConsoleLog(ILoggingBuilder logging, LogFormat format)
    {
        logging.ClearProviders();
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
            logging.Configure(factory => factory.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        }
        else
        {
            logging.AddSimpleConsole();
        }

        logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);

        // ASP.NET Core's request lines would double the transport's and the service's own for every call.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AlignmentEngine.Rpc");
        foreach (var address in Addresses)
        {
            Log.Listening(logger, address.ToString());
        }
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

using AlignmentEngine.Service.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace AlignmentEngine.Service.Hosting;

/// <summary>
/// The ASP.NET Core host the service runs in: Kestrel on its endpoint (h2c, or TLS with ALPN) and, when asked, a
/// cleartext HTTP/1.1 endpoint; the log; and the request pipeline that <see cref="Create"/> maps gRPC
/// services onto (Grpc.AspNetCore).
/// </summary>
public sealed partial class GrpcServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    /// <summary>The main endpoint, then the HTTP endpoint if any: filled when Kestrel reads its options, at start.</summary>
    private readonly List<ListenOptions> _endpoints;

    private GrpcServerHost(WebApplication app, List<ListenOptions> endpoints)
    {
        _app = app;
        _endpoints = endpoints;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>The bound addresses, e.g. <c>http://127.0.0.1:50051</c>; known after <see cref="StartAsync"/>.</summary>
    public IReadOnlyList<Uri> Addresses =>
        [.. (_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Select(a => new Uri(a))];

    /// <summary>The main endpoint's bound port (the actual one when it asked for port 0); known after <see cref="StartAsync"/>.</summary>
    public int Port => _endpoints[0].IPEndPoint!.Port;

    /// <summary>The bound port of <see cref="GrpcServerHostOptions.HttpEndpoint"/>, or null when there is none.</summary>
    public int? HttpPort => _endpoints.Count > 1 ? _endpoints[1].IPEndPoint!.Port : null;

    public static GrpcServerHost Create(GrpcServerHostOptions options, Action<IServiceCollection> configureServices, Action<WebApplication> configureApp)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configureServices);
        ArgumentNullException.ThrowIfNull(configureApp);
        var builder = WebApplication.CreateSlimBuilder();

        // OpenTelemetry.Instrumentation.AspNetCore names a gRPC call's server span after its method and gives it the
        // rpc.* attributes only with this switch (experimental in the instrumentation, read from configuration).
        builder.Configuration["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_ENABLE_GRPC_INSTRUMENTATION"] = "true";
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        ConfigureConsoleLog(builder.Logging, options.LogFormat);
        var endpoints = new List<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            endpoints.Clear();
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
            kestrel.Listen(options.Endpoint, listen =>
            {
                Listen(listen, options);
                endpoints.Add(listen);
            });
            if (options.HttpEndpoint is { } http)
            {
                kestrel.Listen(http, listen =>
                {
                    // HTTP/1.1 only: on a cleartext endpoint offering both, Kestrel has no ALPN to choose by and takes
                    // HTTP/1.1 for every connection, refusing HTTP/2 with prior knowledge (dotnet/aspnetcore#56984).
                    // Cleartext HTTP/2 clients use the main endpoint, which serves REST/JSON and gRPC-Web too.
                    listen.Protocols = HttpProtocols.Http1;
                    endpoints.Add(listen);
                });
            }
        });
        configureServices(builder.Services);
        builder.Services.AddSingleton(new SingletonCallServices.Singletons(builder.Services));
        var app = builder.Build();
        configureApp(app);
        return new GrpcServerHost(app, endpoints);
    }

    /// <summary>
    /// Cleartext: HTTP/2 only (h2c with prior knowledge; Kestrel refuses HTTP/1.1 on the connection).
    /// TLS: HTTP/1.1 and HTTP/2 offered by ALPN: gRPC on HTTP/2, REST/JSON and gRPC-Web on either.
    /// </summary>
    private static void Listen(ListenOptions listen, GrpcServerHostOptions options)
    {
        if (options.Certificate is null)
        {
            listen.Protocols = HttpProtocols.Http2;
        }
        else
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(options.Certificate);
        }
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

        // ASP.NET Core's and grpc-dotnet's request lines would double the service's own for every call.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // The hosting layer's request logger writes nothing at Warning, yet while it is enabled at all it starts an
        // Activity and a log scope (request id, path, connection) for every request, to decorate log lines: a large part
        // of a small call's cost (docs/benchmark-log.md). Off, a request gets its Activity only when a tracer listens
        // (--otlp-endpoint), and log lines keep their trace and span ids then. What else it would log (a failed start)
        // reaches okr serve as an exception, which it reports.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        logging.AddFilter("Grpc", LogLevel.Warning);

        // Orleans' start-up advice about the server GC says nothing an operator of this service acts on.
        logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);

        // Orleans 10.4's watchdog warns at the first check after every start that a participant has "not completed" for
        // as long as the machine has been up (it compares with a time of zero): a false alarm on every start.
        logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);

        // grpc-dotnet logs a request it could not read (a client's fault) as a server error with a stack trace; the
        // service logs it itself, as the client's fault (Pipeline.RefusedRequestStatus), and its handlers' own
        // failures in full (Pipeline.CallPipeline).
        logging.AddFilter("Grpc.AspNetCore.Server.ServerCallHandler", LogLevel.None);
    }

    /// <summary>
    /// Endpoint routing for the gRPC services <paramref name="app"/> maps, as every host of ours routes them: routing in
    /// the open rather than added by the host at start (the endpoints are then known once the app is built, which is
    /// when <c>okr openapi</c> describes them: it never starts the host), a call to a gRPC method routed by its exact
    /// path without the route matcher (<see cref="GrpcMethodRoutes"/>), and calls to singleton services served
    /// without a request scope (<see cref="SingletonCallServices"/>).
    /// </summary>
    public static void UseGrpcRouting(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<GrpcMethodRoutes>((IEndpointRouteBuilder)app);
        app.UseRouting();
        app.UseMiddleware<SingletonCallServices>();
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AlignmentEngine.Service.Hosting");
        foreach (var address in Addresses)
        {
            LogListening(logger, address.ToString());
        }
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>
    /// Stops the host first when it was started and not stopped (the silo leaves its cluster, its grains deactivate),
    /// then disposes it: disposing a running silo's services under it fails its shutdown.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var lifetime = _app.Services.GetRequiredService<IHostApplicationLifetime>();
        if (lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            await _app.StopAsync().ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(1, LogLevel.Information, "gRPC server listening on {Address}")]
    private static partial void LogListening(ILogger logger, string address);
}

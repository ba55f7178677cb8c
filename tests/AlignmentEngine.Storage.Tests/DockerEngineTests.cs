using System.Net;
using AlignmentEngine.Storage.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AlignmentEngine.Storage.Tests;

/// <summary>
/// The check that decides whether the container fixtures may touch Testcontainers: an HTTP server on a real Unix
/// socket or loopback port stands in for the engine's ping endpoint (no Docker engine runs here).
/// </summary>
public sealed class DockerEngineTests
{
    [Test]
    public async Task Ping_EngineOnUnixSocketAnsweringOk_Answers()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"okr-docker-{Guid.NewGuid():N}.sock");
        await using var engine = await StartAsync(options => options.ListenUnixSocket(socket), "OK");

        DockerEngine.Ping($"unix://{socket}").Should().BeTrue();
    }

    [Test]
    public async Task Ping_EngineOnTcpAnsweringOk_Answers()
    {
        await using var engine = await StartAsync(options => options.Listen(IPAddress.Loopback, 0), "OK");
        var port = new Uri(engine.Urls.Single()).Port;

        DockerEngine.Ping($"tcp://127.0.0.1:{port}").Should().BeTrue();
    }

    [Test]
    public async Task Ping_SomethingElseOnTheSocket_DoesNotAnswer()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"okr-docker-{Guid.NewGuid():N}.sock");
        await using var other = await StartAsync(options => options.ListenUnixSocket(socket), "not an engine");

        DockerEngine.Ping($"unix://{socket}").Should().BeFalse();
    }

    [Test]
    public void Ping_NoSocket_DoesNotAnswer()
    {
        DockerEngine.Ping($"unix://{Path.Combine(Path.GetTempPath(), $"okr-no-docker-{Guid.NewGuid():N}.sock")}").Should().BeFalse();
        DockerEngine.Ping("npipe:////./pipe/docker_engine").Should().BeFalse("only unix:// and tcp:// engines are asked");
    }

    private static async Task<WebApplication> StartAsync(Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions> listen, string pingAnswer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(listen);
        var app = builder.Build();
        app.MapGet("/_ping", () => Results.Text(pingAnswer));
        await app.StartAsync();
        return app;
    }
}

using System.Net.Sockets;

namespace AlignmentEngine.Storage.Tests.Support;

/// <summary>
/// Whether a Docker engine answers here, asked once per run before Testcontainers is touched, so that without one
/// nothing tries to pull or start a container: DOCKER_HOST (unix:// or tcp://) when set, else the default socket
/// /var/run/docker.sock, must answer the engine's <c>GET /_ping</c> with <c>OK</c> within two seconds.
/// </summary>
internal static class DockerEngine
{
    private static readonly Lazy<bool> Answering = new(() =>
        Ping(Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } fromEnvironment ? fromEnvironment : "unix:///var/run/docker.sock"));

    public static bool Answers => Answering.Value;

    /// <summary>Whether an engine at <paramref name="host"/> (a DOCKER_HOST value) answers its ping.</summary>
    internal static bool Ping(string host)
    {
        if (!Uri.TryCreate(host, UriKind.Absolute, out var endpoint)) return false;
        var handler = new SocketsHttpHandler();
        Uri ping;
        switch (endpoint.Scheme)
        {
            case "unix":
                if (!File.Exists(endpoint.AbsolutePath)) return false;
                handler.ConnectCallback = async (_, cancel) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.AbsolutePath), cancel);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                };
                ping = new Uri("http://docker/_ping");
                break;
            case "tcp":
                var scheme = Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY") is { Length: > 0 } ? "https" : "http";
                ping = new Uri($"{scheme}://{endpoint.Host}:{endpoint.Port}/_ping");
                break;
            default:
                return false;
        }

        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return client.GetStringAsync(ping).GetAwaiter().GetResult().Trim() == "OK";
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or TaskCanceledException)
        {
            return false;
        }
    }
}

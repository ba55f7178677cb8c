using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace AlignmentEngine.Service.Hosting;

/// <summary>Where and how <see cref="GrpcServerHost"/> listens, and what it logs.</summary>
public sealed class GrpcServerHostOptions
{
    /// <summary>Defaults to 127.0.0.1 on a free port.</summary>
    public IPEndPoint Endpoint { get; set; } = new(IPAddress.Loopback, 0);

    /// <summary>
    /// With a certificate the endpoint is TLS, HTTP/1.1 and HTTP/2 negotiated by ALPN (gRPC on HTTP/2; REST/JSON and
    /// gRPC-Web on either); without, cleartext h2c with prior knowledge (gRPC only).
    /// </summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>
    /// A second, cleartext endpoint serving HTTP/1.1 (<c>okr serve --http-address</c>): REST/JSON and gRPC-Web for browsers
    /// and HTTP/1.1 clients, without TLS (cleartext HTTP/2 clients, gRPC ones included, use <see cref="Endpoint"/>).
    /// None by default.
    /// </summary>
    public IPEndPoint? HttpEndpoint { get; set; }

    /// <summary>
    /// Where the Orleans dashboard is served (<c>okr serve --dashboard</c>, <see cref="SiloDashboard"/>): cleartext
    /// HTTP/1.1, no authentication. None by default.
    /// </summary>
    public IPEndPoint? DashboardEndpoint { get; set; }

    /// <summary>
    /// HTTP/2 streams (calls) one connection may have open at once, advertised to clients in SETTINGS; a client that
    /// opens more has them refused (REFUSED_STREAM), which a well-behaved client avoids by queueing or by opening
    /// another connection. The default is Kestrel's, 100.
    /// </summary>
    public int MaxStreamsPerConnection { get; set; } = DefaultMaxStreamsPerConnection;

    /// <summary>Kestrel's own default for <see cref="MaxStreamsPerConnection"/>.</summary>
    public const int DefaultMaxStreamsPerConnection = 100;

    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    public LogFormat LogFormat { get; set; } = LogFormat.Text;
}

using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace AlignmentEngine.Rpc;

/// <summary>Where and how <see cref="GrpcServerHost"/> listens.</summary>
public sealed class GrpcServerHostOptions
{
    /// <summary>Defaults to 127.0.0.1 on a free port.</summary>
    public IPEndPoint Endpoint { get; set; } = new(IPAddress.Loopback, 0);

    /// <summary>With a certificate the endpoint is TLS (HTTP/2 negotiated by ALPN); without, cleartext h2c with prior knowledge.</summary>
    public X509Certificate2? Certificate { get; set; }

    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    public LogFormat LogFormat { get; set; } = LogFormat.Text;
}

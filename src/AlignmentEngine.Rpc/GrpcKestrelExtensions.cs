using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AlignmentEngine.Rpc;

/// <summary>Kestrel endpoint settings for gRPC.</summary>
public static class GrpcKestrelExtensions
{
    /// <summary>
    /// Cleartext: HTTP/2 only (h2c with prior knowledge; Kestrel refuses HTTP/1.1 on the connection).
    /// TLS: HTTP/1.1 and HTTP/2 offered by ALPN, so an HTTP/1.1 client is answered (426) rather than dropped.
    /// </summary>
    public static ListenOptions UseGrpc(this ListenOptions listen, X509Certificate2? certificate = null)
    {
        ArgumentNullException.ThrowIfNull(listen);
        if (certificate is null)
        {
            listen.Protocols = HttpProtocols.Http2;
        }
        else
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(certificate);
        }

        return listen;
    }
}

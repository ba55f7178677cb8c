using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr serve --tls-cert FILE [--tls-key FILE]</c>: serve HTTP/2 over TLS (negotiated by ALPN) with a PEM
/// certificate and key, or a PKCS#12 file (its password, if any, in <c>OKR_TLS_PASSWORD</c>). Without them the
/// endpoint is cleartext HTTP/2, which is served on a loopback address only unless <c>--allow-cleartext</c> says
/// that something in front (a TLS-terminating proxy or mesh) encrypts the traffic.
/// </summary>
internal sealed class TlsOptions
{
    /// <summary>The environment variable holding a PKCS#12 file's password (kept off the command line).</summary>
    public const string PasswordVariable = "OKR_TLS_PASSWORD";

    private readonly Option<FileInfo?> _certificate = new("--tls-cert") { Description = $"Serve over TLS with this certificate: PEM (with --tls-key) or PKCS#12 (.pfx; password in ${PasswordVariable})." };
    private readonly Option<FileInfo?> _key = new("--tls-key") { Description = "The PEM private key of --tls-cert." };
    private readonly Option<bool> _allowCleartext = new("--allow-cleartext")
    {
        Description = "Serve cleartext HTTP/2 on a non-loopback address (behind a TLS-terminating proxy or mesh); without it, only TLS is served off the loopback. " +
                      "Also lets --silo-address be off the loopback (silo traffic is never encrypted: keep the silos on a network of their own).",
    };

    /// <summary>Whether <c>--allow-cleartext</c> was given.</summary>
    public bool AllowsCleartext(ParseResult result) => result.GetValue(_allowCleartext);

    public IEnumerable<Option> All => [_certificate, _key, _allowCleartext];

    /// <summary>Why serving <paramref name="endpoint"/> without TLS is refused, or null where it is allowed.</summary>
    public string? RefuseCleartext(ParseResult result, IPEndPoint endpoint) =>
        IPAddress.IsLoopback(endpoint.Address) || result.GetValue(_allowCleartext)
            ? null
            : $"{endpoint} is not a loopback address, and without --tls-cert the traffic (API keys included) would cross the network unencrypted: give --tls-cert (and --tls-key), or --allow-cleartext when a TLS-terminating proxy or mesh sits in front";

    /// <summary>What the endpoint serves, for the start line.</summary>
    public static string Describe(IPEndPoint endpoint, bool tls) => (tls, IPAddress.IsLoopback(endpoint.Address)) switch
    {
        (true, _) => "TLS (HTTP/2 and HTTP/1.1 by ALPN)",
        (false, true) => "cleartext HTTP/2 on loopback",
        (false, false) => "cleartext HTTP/2 on a non-loopback address (--allow-cleartext: TLS is left to what sits in front)",
    };

    /// <summary>The certificate, none (cleartext), or an error for the user.</summary>
    public (X509Certificate2? Certificate, string? Error) Load(ParseResult result)
    {
        var certificate = result.GetValue(_certificate);
        var key = result.GetValue(_key);
        if (certificate is null) return (null, key is null ? null : "--tls-key needs --tls-cert");
        try
        {
            if (key is not null)
            {
                // Loaded through PKCS#12 so that the key is usable by the TLS stack on every platform (a PEM key is ephemeral).
                using var pem = X509Certificate2.CreateFromPemFile(certificate.FullName, key.FullName);
                return (X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null), null);
            }

            var loaded = X509CertificateLoader.LoadPkcs12FromFile(certificate.FullName, Environment.GetEnvironmentVariable(PasswordVariable));
            return loaded.HasPrivateKey ? (loaded, null) : (null, $"--tls-cert {certificate}: the file holds no private key");
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return (null, $"--tls-cert {certificate}: {e.Message}");
        }
    }
}

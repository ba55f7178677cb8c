using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr serve --tls-cert FILE [--tls-key FILE]</c>: serve HTTP/2 over TLS (negotiated by ALPN) with a PEM
/// certificate and key, or a PKCS#12 file (its password, if any, in <c>OKR_TLS_PASSWORD</c>). Without them the
/// endpoint is cleartext HTTP/2.
/// </summary>
internal sealed class TlsOptions
{
    /// <summary>The environment variable holding a PKCS#12 file's password (kept off the command line).</summary>
    public const string PasswordVariable = "OKR_TLS_PASSWORD";

    private readonly Option<FileInfo?> _certificate = new("--tls-cert") { Description = $"Serve over TLS with this certificate: PEM (with --tls-key) or PKCS#12 (.pfx; password in ${PasswordVariable})." };
    private readonly Option<FileInfo?> _key = new("--tls-key") { Description = "The PEM private key of --tls-cert." };

    public IEnumerable<Option> All => [_certificate, _key];

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

using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wirekit.Tls;

/// <summary>
/// <see cref="ClientTlsOptions"/> with their files read: the CA certificates and the client certificate are loaded
/// once, then every connection (a bench opens thousands) only handshakes. Thread-safe.
/// </summary>
public sealed class ClientTls
{
    private readonly ClientTlsOptions _options;
    private readonly X509Certificate2Collection _trusted;
    private readonly X509Certificate2? _clientCertificate;

    private ClientTls(ClientTlsOptions options, X509Certificate2Collection trusted, X509Certificate2? clientCertificate)
    {
        _options = options;
        _trusted = trusted;
        _clientCertificate = clientCertificate;
    }

    public ClientTlsOptions Options => _options;

    /// <summary>Reads the options' files; a file that cannot be used is a <see cref="ClientTlsException"/> (<see cref="ClientTlsFailure.BadFile"/>).</summary>
    public static ClientTls Load(ClientTlsOptions options)
    {
        var trusted = new X509Certificate2Collection();
        if (options.CaFile is { } caFile)
        {
            try
            {
                trusted.ImportFromPemFile(caFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new ClientTlsException(ClientTlsFailure.BadFile, $"{caFile}: cannot read the CA certificates: {e.Message.TrimEnd('.')}", e);
            }

            if (trusted.Count == 0)
            {
                throw new ClientTlsException(ClientTlsFailure.BadFile, $"{caFile}: no PEM certificate in it (-----BEGIN CERTIFICATE-----)");
            }
        }

        X509Certificate2? client = null;
        if (options.CertificateFile is { } certificateFile)
        {
            try
            {
                client = X509Certificate2.CreateFromPemFile(certificateFile, options.KeyFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                throw new ClientTlsException(ClientTlsFailure.BadFile,
                    $"{certificateFile}{(options.KeyFile is null ? "" : $" with key {options.KeyFile}")}: cannot load the client certificate: {e.Message.TrimEnd('.')}", e);
            }
        }

        return new ClientTls(options, trusted, client);
    }

    /// <summary>
    /// Runs the TLS handshake over <paramref name="socket"/> (connected to <paramref name="host"/>) and returns the
    /// authenticated stream, which owns the socket from then on. A rejected certificate or a failed handshake is a
    /// <see cref="ClientTlsException"/> whose message is one line; cancellation is an <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<SslStream> AuthenticateAsync(Socket socket, string host, CancellationToken cancellationToken)
    {
        var name = ClientCertificateCheck.Normalize(_options.ServerName ?? host);
        var stream = new ClientTlsStream(new ReadAheadStream(new NetworkStream(socket, ownsSocket: true)));
        ClientTlsException? rejection = null;
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = name,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            AllowTlsResume = _options.AllowResumption,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                rejection = ClientCertificateCheck.Judge(_options, name, certificate, chain, errors);
                return rejection is null;
            },
            // SslStream also asks once before the handshake (no server certificate yet); a call with the server's
            // certificate is the server's request, remembered so that a refusal after the handshake can say why.
            LocalCertificateSelectionCallback = (_, _, _, remote, _) =>
            {
                stream.ServerAskedForCertificate |= remote is not null;
                return _clientCertificate!;
            },
        };
        if (_trusted.Count > 0 || _options.Pin is not null || _options.Insecure)
        {
            // A private CA, or no chain needed at all (a pin, --insecure): the chain is built against these roots
            // only, without reading the system store or fetching issuers, which otherwise costs most of a handshake.
            authentication.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
            };
            authentication.CertificateChainPolicy.CustomTrustStore.AddRange(_trusted);
        }

        if (_clientCertificate is not null)
        {
            stream.PresentsCertificate = true;
            authentication.ClientCertificates = [_clientCertificate];
        }

        try
        {
            await stream.AuthenticateAsClientAsync(authentication, cancellationToken).ConfigureAwait(false);
            return stream;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw rejection ?? stream.Explain(e, duringHandshake: true);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}

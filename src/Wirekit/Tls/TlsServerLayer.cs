using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Wirekit.Logging;
using Wirekit.Metrics;

namespace Wirekit.Tls;

/// <summary>
/// One server's TLS: the certificate context made once (its chain built once, not per handshake), the client
/// certificate check for mutual TLS, and the handshake every TLS session starts with. A failed handshake is one
/// rate-limited log line and a count by reason; the caller closes that connection and the server goes on.
/// </summary>
internal sealed class TlsServerLayer
{
    /// <summary>The record type of a TLS handshake message: the first byte any TLS client sends (RFC 8446 §5.1).</summary>
    private const byte HandshakeRecord = 0x16;

    private readonly TlsServerOptions _options;
    private readonly SslStreamCertificateContext _certificate;
    private readonly ILogger _logger;
    private readonly ServerMetrics _metrics;

    // A scan of plaintext clients (or a misconfigured one reconnecting) is a few lines a second and a count.
    private readonly LogThrottle _failureLog = new(burst: 5, TimeSpan.FromSeconds(1));

    public TlsServerLayer(TlsServerOptions options, ILogger logger, ServerMetrics metrics)
    {
        _options = options;
        _certificate = SslStreamCertificateContext.Create(options.Certificate, additionalCertificates: null, offline: true);
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>
    /// Runs the server side of the handshake on <paramref name="socket"/>: the stream to read and write from then on,
    /// or null when the handshake failed (logged and counted here) or <paramref name="cancellationToken"/> ended it.
    /// </summary>
    public async ValueTask<SslStream?> AuthenticateAsync(Socket socket, long sessionId, IPEndPoint remote, CancellationToken cancellationToken)
    {
        string? clientRefusal = null;
        SslStream? stream = null;
        try
        {
            // Peeked, not read: a plaintext client is told apart from a broken TLS one before SslStream sees a byte.
            var first = new byte[1];
            var peeked = await socket.ReceiveAsync(first, SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
            if (peeked == 0)
            {
                return Failed(TlsHandshakeFailure.Closed, "the client closed the connection before its first byte", remote);
            }

            if (first[0] != HandshakeRecord)
            {
                return Failed(TlsHandshakeFailure.NotTls, $"not TLS (first byte 0x{first[0]:x2}, not 0x16: a plaintext client on a TLS port?)", remote);
            }

            stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
            var options = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _certificate,
                EnabledSslProtocols = TlsServerOptions.Protocols,
                ClientCertificateRequired = _options.ClientCertificateAuthorities is not null,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => (clientRefusal = CheckClient(certificate)) is null,
            };
            await stream.AuthenticateAsServerAsync(options, cancellationToken).ConfigureAwait(false);
            TlsMetrics.Succeeded(_metrics);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var client = stream.RemoteCertificate is { } peer ? $", client {peer.Subject}" : "";
                TlsLog.HandshakeDone(_logger, sessionId, remote, stream.SslProtocol.ToString(), stream.NegotiatedCipherSuite.ToString(), client);
            }

            return stream;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Closed while shaking hands (a server stopping): not the client's failure.
            stream?.Dispose();
            return null;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or ObjectDisposedException)
        {
            stream?.Dispose();
            return clientRefusal is not null ? Failed(TlsHandshakeFailure.ClientCertificate, clientRefusal, remote)
                : e is AuthenticationException ? Failed(TlsHandshakeFailure.Protocol, Innermost(e), remote)
                : Failed(TlsHandshakeFailure.Closed, "the client closed the connection during the handshake (did it refuse our certificate?)", remote);
        }
    }

    /// <summary>Mutual TLS: null when the client's certificate chains to one of the trusted authorities, else why not.</summary>
    private string? CheckClient(X509Certificate? offered)
    {
        if (_options.ClientCertificateAuthorities is not { } authorities)
        {
            return null;
        }

        if (offered is null)
        {
            return "the client sent no certificate, and this server requires one (mutual TLS)";
        }

        using var certificate = X509CertificateLoader.LoadCertificate(offered.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain.Build(certificate))
        {
            return null;
        }

        var status = chain.ChainStatus.Length > 0 ? chain.ChainStatus[0].StatusInformation.Trim() : "untrusted";
        return $"client certificate '{certificate.Subject}' refused: {status}";
    }

    private SslStream? Failed(TlsHandshakeFailure failure, string reason, IPEndPoint remote)
    {
        TlsMetrics.Failed(_metrics, failure);
        if (_failureLog.TryPass(out var suppressed))
        {
            TlsLog.HandshakeFailed(_logger, remote, reason, suppressed);
        }

        return null;
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }
}

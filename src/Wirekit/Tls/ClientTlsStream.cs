using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Security.Authentication;

namespace Wirekit.Tls;

/// <summary>
/// The client's SslStream, which turns a failure into a <see cref="ClientTlsException"/> naming its reason. In TLS 1.3
/// a server checks the client's certificate after the client has finished its handshake, so a refusal (no
/// certificate, an untrusted one) arrives as an alert on the first read: without this it would read as a connection
/// that broke for no reason. A socket failure beneath (a reset, a receive timeout) is rethrown as the
/// <see cref="SocketException"/> it is, as a plaintext connection reports it, so callers handle both alike. The
/// overrides only add a catch: a read that succeeds costs what SslStream's does.
/// </summary>
internal sealed class ClientTlsStream(Stream inner) : SslStream(inner, leaveInnerStreamOpen: false)
{
    /// <summary>Set during the handshake when the server sent a certificate request.</summary>
    public bool ServerAskedForCertificate { get; set; }

    public bool PresentsCertificate { get; set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsAlert(e))
        {
            throw Explain(e, duringHandshake: false);
        }
        catch (IOException e) when (e.InnerException is SocketException socketError)
        {
            ExceptionDispatchInfo.Throw(socketError);
            throw;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return base.Read(buffer);
        }
        catch (Exception e) when (IsAlert(e))
        {
            throw Explain(e, duringHandshake: false);
        }
        catch (IOException e) when (e.InnerException is SocketException socketError)
        {
            ExceptionDispatchInfo.Throw(socketError);
            throw;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await base.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is SocketException socketError)
        {
            ExceptionDispatchInfo.Throw(socketError);
            throw;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// One line for a failure the validation callback did not explain: the server's alert in OpenSSL's words (the
    /// innermost message), and what it most likely means.
    /// </summary>
    internal ClientTlsException Explain(Exception e, bool duringHandshake)
    {
        var reason = Innermost(e);
        var alert = reason.Contains("alert", StringComparison.OrdinalIgnoreCase);
        if (reason.Contains("alert certificate required", StringComparison.OrdinalIgnoreCase) || (alert && ServerAskedForCertificate && !PresentsCertificate))
        {
            return new(ClientTlsFailure.ClientCertificateRequired, "the server requires a client certificate", e);
        }

        // Ours is the only certificate left in question: the server's passed our check before any alert could come.
        if (alert && PresentsCertificate && (ServerAskedForCertificate || reason.Contains("certificate", StringComparison.OrdinalIgnoreCase)
            || reason.Contains("unknown ca", StringComparison.OrdinalIgnoreCase)))
        {
            return new(ClientTlsFailure.ClientCertificateRefused, $"the server refused the client certificate ({reason})", e);
        }

        // A plaintext server: it closes at the ClientHello, or answers with text that is no TLS record.
        return (duringHandshake && e is IOException && e.InnerException is null) || reason.Contains("wrong version number", StringComparison.OrdinalIgnoreCase)
            ? new(ClientTlsFailure.Handshake, $"TLS handshake failed: {(e.InnerException is null ? "the server closed the connection" : reason)} (does the server speak TLS on this port?)", e)
            : new(ClientTlsFailure.Handshake, $"TLS handshake failed: {reason}", e);
    }

    /// <summary>A failure TLS reported (an alert, a bad record), as opposed to the socket failing beneath it.</summary>
    private static bool IsAlert(Exception e)
        => e is AuthenticationException || (e is IOException && e.InnerException is not (null or System.Net.Sockets.SocketException));

    private static string Innermost(Exception e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            message = inner.Message;
        }

        // OpenSSL's "error:0A000412:SSL routines::sslv3 alert bad certificate": the words after the last "::" say it.
        var words = message.LastIndexOf("::", StringComparison.Ordinal);
        return (words >= 0 ? message[(words + 2)..] : message).Trim().TrimEnd('.');
    }
}

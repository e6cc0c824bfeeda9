using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Wirekit.Tests.Infrastructure;
using Wirekit.Tls;

namespace Wirekit.Tests.Tls;

/// <summary>
/// A TLS client for tests (until Wirekit's own clients speak TLS): .NET's SslStream, trusting exactly the server
/// certificate it is given (a pin), optionally presenting a client certificate. Every wait bounded.
/// </summary>
internal sealed class TlsTestClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly StreamReader _reader;

    private TlsTestClient(Socket socket, SslStream stream)
    {
        _socket = socket;
        Stream = stream;
        _reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
    }

    public SslStream Stream { get; }

    /// <param name="trickle">Send every byte in a TCP segment of its own, the handshake included: the server must reassemble every record.</param>
    public static async Task<TlsTestClient> ConnectAsync(IPEndPoint server, X509Certificate2 pinned, X509Certificate2? clientCertificate = null, bool trickle = false)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server).WaitAsync(Deadline.Default);
        Stream inner = new NetworkStream(socket, ownsSocket: false);
        if (trickle)
        {
            inner = new TrickleStream(inner);
        }

        var pin = CertificateFingerprint.Of(pinned);
        var stream = new SslStream(inner, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && pin.Matches(certificate),
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
        };
        try
        {
            await stream.AuthenticateAsClientAsync(options).WaitAsync(Deadline.Default);
        }
        catch
        {
            await stream.DisposeAsync();
            socket.Dispose();
            throw;
        }

        return new TlsTestClient(socket, stream);
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> data)
    {
        await Stream.WriteAsync(data).AsTask().WaitAsync(Deadline.Default);
        await Stream.FlushAsync().WaitAsync(Deadline.Default);
    }

    public Task WriteLineAsync(string line) => WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));

    public async Task<string?> ReadLineAsync() => await _reader.ReadLineAsync().WaitAsync(Deadline.Default);

    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        var buffer = new byte[count];
        await Stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(Deadline.Default);
        return buffer;
    }

    /// <summary>What the first read after a refused handshake sees: the server's alert or its close, never data.</summary>
    public async Task<bool> IsRefusedAsync()
    {
        try
        {
            var read = await Stream.ReadAsync(new byte[1]).AsTask().WaitAsync(Deadline.Default);
            return read == 0;
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await Stream.DisposeAsync();
        _socket.Dispose();
    }

    /// <summary>Writes byte by byte, one send each (the socket has TCP_NODELAY): records arrive cut at every boundary.</summary>
    private sealed class TrickleStream(Stream inner) : Wirekit.Streams.DelegatingStream(inner)
    {
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            for (var i = 0; i < buffer.Length; i++)
            {
                Inner.Write(buffer.Slice(i, 1));
            }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            for (var i = 0; i < buffer.Length; i++)
            {
                await Inner.WriteAsync(buffer.Slice(i, 1), cancellationToken);
            }
        }
    }
}

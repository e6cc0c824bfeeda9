using System.Net.Security;
using System.Net.Sockets;

namespace Wirekit.Bench;

/// <summary>
/// Turns a connected socket into an authenticated TLS stream that owns it, or throws. The bench takes the handshake
/// from its caller (the CLI passes Wirekit's client TLS, the same checks as every client) so that the load
/// generator stays what it is: a client of any server over plain sockets, with no reference to the library.
/// </summary>
public delegate Task<SslStream> TlsHandshake(Socket connected, CancellationToken cancellationToken);

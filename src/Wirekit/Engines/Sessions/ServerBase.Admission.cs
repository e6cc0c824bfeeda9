using System.Net;
using System.Net.Sockets;
using Wirekit.Access;

namespace Wirekit.Engines.Sessions;

/// <summary>From an accepted socket to a registered session, or a polite refusal; written once for every engine.</summary>
internal abstract partial class ServerBase
{
    /// <summary>
    /// Sessions the threads engine serves by default: each costs two threads at most (reader and, once a broadcast
    /// reaches it, writer) and their stacks. Chat on 2 cores collapsed at 5,000 members (6,082 threads; a message
    /// reached nobody in 30 s); see docs/architecture.md for the measurement behind this figure.
    /// </summary>
    internal const int ThreadsDefaultLimit = 1_000;

    private readonly AcceptFailures _acceptFailures;
    private HandshakeDeadlines? _handshakes;
    private Task _handshakeSweep = Task.CompletedTask;

    /// <summary>The accept loop's failures (descriptors exhausted and the like): reserve, refuse, back off, log bounded.</summary>
    protected AcceptFailures AcceptFailures => _acceptFailures;

    /// <summary>The handshake deadline, or null when it is off (or the service does not say when a session is established); for tests.</summary>
    internal HandshakeDeadlines? HandshakeDeadlines => _handshakes;

    /// <summary>Makes the engine's own session for an admitted socket of a byte-stream service.</summary>
    protected abstract Session CreateSession(long id, Socket socket);

    public void MarkEstablished(long sessionId) => Context.Registry.Find(sessionId)?.MarkEstablished();

    /// <summary>
    /// A connection handler's session opened with a TLS ClientHello (the handler reads its own first bytes): refused
    /// as a byte-stream session would be, with the same log line and count. Unknown ids are ignored.
    /// </summary>
    internal void RefuseTlsOnPlaintext(long sessionId) => Context.Registry.Find(sessionId)?.RefuseTlsOnPlaintext();

    /// <summary>
    /// Admits an accepted socket: checks the peer's address against the access rules and its per-address share, takes
    /// a slot (refusing with the service's notice when any of these says no), applies the socket options, makes the
    /// session, registers it and starts its handshake deadline. Null when the socket was refused or had already failed.
    /// </summary>
    protected Session? Accepted(Socket socket)
    {
        _acceptFailures.Succeeded();
        IPAddress? address = null;
        if (Context.Access.IsActive)
        {
            if (TryRemote(socket) is not { } remote)
            {
                socket.Dispose(); // reset before we could look: nothing to serve, nothing to tell
                return null;
            }

            address = AddressRule.Plain(remote.Address);
            if (Context.Access.TryAdmit(address) is { } denied)
            {
                Refuse(socket, denied, address);
                return null;
            }
        }

        if (Context.Registry.TryAdmit() is { } refusal)
        {
            Context.Access.Release(address);
            Refuse(socket, refusal);
            return null;
        }

        Session session;
        try
        {
            SocketSetup.ApplyToAccepted(socket, Context.Options);
            var id = Context.Registry.NextId();
            session = Handler is null ? CreateSession(id, socket) : new HandlerSession(id, socket, Context, Handler);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The peer reset before we could set it up: nothing to serve, nothing to tell.
            Context.Registry.Forfeit();
            Context.Access.Release(address);
            socket.Dispose();
            return null;
        }

        Context.Registry.Add(session);
        Context.Metrics.Accepted();
        _handshakes?.Watch(session);
        if (Stopping.IsCancellationRequested)
        {
            // Accepted while the stop began: the close request may have missed it.
            session.Close(DisconnectReason.ServerShutdown);
        }

        return session;
    }

    /// <summary>Starts the handshake deadline's sweep, for services that say when a session is established; before the first accept.</summary>
    private void StartAdmission()
    {
        if (Context.Options.HandshakeTimeout > TimeSpan.Zero && _service.MarksEstablished)
        {
            _handshakes = new HandshakeDeadlines(Context, Context.Options.HandshakeTimeout);
            _handshakeSweep = _handshakes.RunAsync(Stopping);
        }
    }

    /// <summary>Waits for the sweep to end; the server is stopping.</summary>
    private Task StopAdmissionAsync() => _handshakeSweep;

    private void Refuse(Socket socket, Refusal refusal) => Refuse(socket, refusal, null);

    /// <summary>
    /// Sends the service's refusal notice for <paramref name="refusal"/> without waiting, then closes. Logs a bounded
    /// number of lines: a full server a few a second, an access refusal once per address per minute.
    /// </summary>
    private void Refuse(Socket socket, Refusal refusal, IPAddress? address)
    {
        Context.Metrics.Refused(refusal);
        LogRefusal(socket, refusal, address);
        try
        {
            var notice = Context.Service is { } service ? service.RefusalNoticeFor(ReasonFor(refusal)) : default;
            if (!notice.IsEmpty)
            {
                socket.Blocking = false;
                socket.Send(notice, SocketFlags.None, out _);
            }

            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    private void LogRefusal(Socket socket, Refusal refusal, IPAddress? address)
    {
        long suppressed;
        switch (refusal)
        {
            case Refusal.Denied when address is not null:
                if (Context.Access.DeniedLog.TryPass(address, out suppressed))
                {
                    SessionLog.Denied(Context.Logger, address, suppressed);
                }

                break;
            case Refusal.PerAddressLimit when address is not null:
                if (Context.Access.PerAddressLog.TryPass(address, out suppressed))
                {
                    SessionLog.TooManyFromAddress(Context.Logger, address, Context.Access.MaxPerAddress, suppressed);
                }

                break;
            case Refusal.SessionLimit when Context.RefusalLog.TryPass(out suppressed):
                SessionLog.Refused(Context.Logger, TryRemote(socket), Context.Registry.Count, Context.Registry.Limit, suppressed);
                break;
            case Refusal.OutOfDescriptors when Context.RefusalLog.TryPass(out suppressed):
                SessionLog.RefusedForDescriptors(Context.Logger, TryRemote(socket), Context.Registry.Count, DescriptorBudget.Limit ?? 0, suppressed);
                break;
        }
    }

    private static RefusalReason ReasonFor(Refusal refusal) => refusal switch
    {
        Refusal.Denied => RefusalReason.Denied,
        Refusal.PerAddressLimit => RefusalReason.TooManyFromAddress,
        _ => RefusalReason.ServerFull,
    };

    private static IPEndPoint? TryRemote(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint as IPEndPoint;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Sessions this server admits by its own rule: the configured limit, else what its engine can serve (the
    /// threads engine's thread budget; the select engine's poll set, which may not hold more entries than the
    /// open-file limit, and lists a session twice while it both reads and writes). The descriptor budget applies on top.
    /// </summary>
    private static int SessionLimit(EngineKind engine, ServerOptions options)
    {
        var limit = options.MaxConnections > 0 ? options.MaxConnections
            : engine == EngineKind.Threads ? ThreadsDefaultLimit
            : int.MaxValue;
        if (engine == EngineKind.Select && DescriptorBudget.Limit is { } descriptors)
        {
            limit = (int)Math.Min(limit, Math.Max(1, (descriptors - 8) / 2));
        }

        return limit;
    }
}

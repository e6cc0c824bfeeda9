using System.Net;
using System.Net.Sockets;

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

    /// <summary>The accept loop's failures (descriptors exhausted and the like): reserve, refuse, back off, log bounded.</summary>
    protected AcceptFailures AcceptFailures => _acceptFailures;

    /// <summary>Makes the engine's own session for an admitted socket of a byte-stream service.</summary>
    protected abstract Session CreateSession(long id, Socket socket);

    /// <summary>
    /// Admits an accepted socket: takes a slot (refusing with the service's notice when there is none), applies the
    /// socket options, makes the session and registers it. Null when the socket was refused or had already failed.
    /// </summary>
    protected Session? Accepted(Socket socket)
    {
        _acceptFailures.Succeeded();
        if (Context.Registry.TryAdmit() is { } refusal)
        {
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
            socket.Dispose();
            return null;
        }

        Context.Registry.Add(session);
        Context.Metrics.Accepted();
        if (Stopping.IsCancellationRequested)
        {
            // Accepted while the stop began: the close request may have missed it.
            session.Close(DisconnectReason.ServerShutdown);
        }

        return session;
    }

    /// <summary>Sends the service's refusal notice without waiting, then closes; logs a bounded number of lines.</summary>
    private void Refuse(Socket socket, Refusal refusal)
    {
        Context.Metrics.Refused(refusal);
        if (Context.RefusalLog.TryPass(out var suppressed))
        {
            var remote = TryRemote(socket);
            if (refusal == Refusal.SessionLimit)
            {
                SessionLog.Refused(Context.Logger, remote, Context.Registry.Count, Context.Registry.Limit, suppressed);
            }
            else
            {
                SessionLog.RefusedForDescriptors(Context.Logger, remote, Context.Registry.Count, DescriptorBudget.Limit ?? 0, suppressed);
            }
        }

        try
        {
            var notice = Context.Service is { } service ? service.RefusalNotice : default;
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

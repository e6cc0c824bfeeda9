using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Wirekit.Logging;

namespace Wirekit.Engines.Sessions;

/// <summary>
/// What an accept loop does when accept(2) fails. At the open-file limit (EMFILE, ENFILE) the connection stays in the
/// backlog and the listener stays readable, so a loop that only retried would spin and log without end (9,598 lines
/// in 7 s, measured). A descriptor is therefore kept in reserve: on EMFILE it is freed, the waiting connection
/// accepted into it and refused with the service's notice, and the reserve taken again, so the backlog drains and
/// every client hears why. Whatever still fails backs off, from 10 ms doubling to 1 s, and the log says so at most
/// once a second, with the count of failures it did not write.
/// </summary>
internal sealed class AcceptFailures : IDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    private readonly ServerContext _context;
    private readonly Socket _listener;
    private readonly Action<Socket, Refusal> _refuse;
    private readonly LogThrottle _log = new(burst: 1, TimeSpan.FromSeconds(1));
    private SafeFileHandle? _reserve = TakeReserve();
    private TimeSpan _backoff;

    public AcceptFailures(ServerContext context, Socket listener, Action<Socket, Refusal> refuse)
    {
        _context = context;
        _listener = listener;
        _refuse = refuse;
    }

    /// <summary>An accept succeeded: the next failure starts backing off from the beginning again.</summary>
    public void Succeeded() => _backoff = TimeSpan.Zero;

    /// <summary>Deals with a failed accept; returns how long the loop should wait before it accepts again.</summary>
    public TimeSpan Handle(SocketException failure)
    {
        if (_log.TryPass(out var suppressed))
        {
            SessionLog.AcceptFailed(_context.Logger, failure.SocketErrorCode, failure.Message, suppressed);
        }

        if (failure.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
        {
            return TimeSpan.Zero; // that connection died in the backlog; the next one is unaffected
        }

        if (failure.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable && RefuseIntoReserve())
        {
            return TimeSpan.Zero;
        }

        _backoff = _backoff == TimeSpan.Zero ? FirstBackoff : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, MaxBackoff.Ticks));
        return _backoff;
    }

    public void Dispose()
    {
        _reserve?.Dispose();
        _reserve = null;
    }

    private bool RefuseIntoReserve()
    {
        _reserve ??= TakeReserve();
        if (_reserve is null)
        {
            return false;
        }

        _reserve.Dispose();
        _reserve = null;
        try
        {
            if (!_listener.Poll(0, SelectMode.SelectRead))
            {
                return false;
            }

            _refuse(_listener.Accept(), Refusal.OutOfDescriptors);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _reserve = TakeReserve();
        }
    }

    /// <summary>One spare descriptor (/dev/null), where descriptors are what runs out; Windows has no such limit.</summary>
    private static SafeFileHandle? TakeReserve()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read);
        }
        catch (IOException)
        {
            return null; // out of descriptors right now: the next failure tries again
        }
    }
}

using System.Diagnostics;
using System.Net.Sockets;

namespace Wirekit.Transfer;

/// <summary>Why a watched send was cut off.</summary>
internal enum SendVerdict
{
    /// <summary>Still running, or it finished before the watchdog had to act.</summary>
    None,

    /// <summary>The peer acknowledged nothing for the send timeout: it stopped reading, or vanished.</summary>
    Stalled,

    /// <summary>The file being sent no longer is what the reply promised (see <see cref="ServedFile.HasChanged"/>).</summary>
    SourceChanged,
}

/// <summary>
/// Watches one send that could not complete at once and resets the connection when it makes no progress for the
/// send timeout. Progress is the kernel's count of bytes the peer acknowledged, read on a timer: the data path
/// (sendfile) is untouched, and a reader that is slow but moving keeps its send alive however long the file takes.
/// A peer that stops reading closes its window, nothing more is acknowledged, and the watchdog fires. Where the
/// kernel cannot say (<see cref="TcpSendProgress"/>), stalls are not judged: a healthy transfer is never cut.
/// The same tick asks whether the file changed under the send, so a modified file is noticed within a tick.
/// </summary>
internal sealed class SendWatchdog : IDisposable
{
    // _state: Watching, then either Disposed (no verdict) or the SendVerdict that fired, whichever comes first.
    private const int Watching = -1;
    private const int Disposed = (int)SendVerdict.None;

    private static readonly TimeSpan LongestTick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ShortestTick = TimeSpan.FromMilliseconds(10);

    private readonly Socket _socket;
    private readonly long _timeoutTicks;
    private readonly ServedFile? _file;
    private readonly Timer _timer;
    private long _acknowledged;
    private long _lastProgress;
    private int _state = Watching;

    /// <param name="socket">The connection the send is on; reset when the watchdog fires.</param>
    /// <param name="timeout">No progress for this long ends the connection; <see cref="Timeout.InfiniteTimeSpan"/> or zero judges no stalls.</param>
    /// <param name="file">The file being sent, checked for changes every tick; null for replies from memory.</param>
    public SendWatchdog(Socket socket, TimeSpan timeout, ServedFile? file)
    {
        _socket = socket;
        _file = file;
        var judgeStalls = timeout > TimeSpan.Zero && TcpSendProgress.TryRead(socket, out _acknowledged);
        _timeoutTicks = judgeStalls ? (long)(timeout.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        _lastProgress = Stopwatch.GetTimestamp();
        // A quarter of the timeout keeps the overshoot small; at most a second, as a file change should be seen soon.
        var tick = judgeStalls ? TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, ShortestTick.Ticks, LongestTick.Ticks)) : LongestTick;
        _timer = judgeStalls || file is not null
            ? new Timer(static state => ((SendWatchdog)state!).Tick(), this, tick, tick)
            : new Timer(static _ => { });
    }

    /// <summary>Set once the watchdog has reset the connection; read it after the send ended.</summary>
    public SendVerdict Verdict => Volatile.Read(ref _state) is var state && state > Disposed ? (SendVerdict)state : SendVerdict.None;

    /// <summary>Stops watching. A verdict reached before this stays.</summary>
    public void Dispose()
    {
        Interlocked.CompareExchange(ref _state, Disposed, Watching);
        _timer.Dispose();
    }

    private void Tick()
    {
        if (Volatile.Read(ref _state) != Watching)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (_file is not null && _file.HasChanged())
        {
            Fire(SendVerdict.SourceChanged);
        }
        else if (TcpSendProgress.TryRead(_socket, out var acknowledged) && acknowledged != _acknowledged)
        {
            _acknowledged = acknowledged;
            _lastProgress = now;
        }
        else if (now - _lastProgress >= _timeoutTicks)
        {
            Fire(SendVerdict.Stalled);
        }
    }

    private void Fire(SendVerdict verdict)
    {
        if (Interlocked.CompareExchange(ref _state, (int)verdict, Watching) == Watching)
        {
            // The pending send has no token: resetting the socket is what ends it, and nothing more is owed the peer.
            ConnectionReset.Abort(_socket);
        }
    }
}

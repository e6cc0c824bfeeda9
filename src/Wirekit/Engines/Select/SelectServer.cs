using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Wirekit.Engines.Sessions;

namespace Wirekit.Engines.Select;

/// <summary>
/// The readiness engine: one thread, every socket in one select/poll call per pass (the seed's I/O multiplexing
/// server). Unlike the seed's FD_SETSIZE of 64, .NET's Socket.Select on Unix uses poll(2), so the set is bounded
/// only by the open-file limit. Each pass costs O(sessions), which is what makes epoll/IOCP worth having.
/// Other threads wake the loop through a loopback datagram socket it also watches.
/// </summary>
internal sealed class SelectServer : ServerBase
{
    private const int ReceiveBufferSize = 64 * 1024;
    private const int AcceptsPerPass = 64;
    private const int IdlePollMicroseconds = 1_000_000;
    private const int StoppingPollMicroseconds = 20_000;

    /// <summary>Shorter than the base's graceful window so the loop, not another thread, aborts its own sockets.</summary>
    private static readonly TimeSpan StopFlushTime = TimeSpan.FromMilliseconds(800);

    private readonly Thread _loopThread;
    private readonly Socket _wakeReceiver;
    private readonly Socket _wakeSender;
    private readonly Dictionary<Socket, SelectSession> _sessions = new();
    private readonly List<Socket> _readable = new();
    private readonly List<Socket> _writable = new();
    private readonly List<SelectSession> _finished = new();
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferSize];
    private readonly byte[] _wakeByte = [1];
    private int _wakePending;
    private long _acceptResumesAt;

    public SelectServer(ServerOptions options, IServerService service, ILogger logger)
        : base(EngineKind.Select, options, service, logger)
    {
        Listener.Blocking = false;
        _wakeReceiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _wakeReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _wakeReceiver.Blocking = false;
        _wakeSender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _wakeSender.Connect(_wakeReceiver.LocalEndPoint!);
        _loopThread = new Thread(Loop) { IsBackground = true, Name = "wirekit-select" };
    }

    public void WakeFromOtherThread()
    {
        if (Thread.CurrentThread != _loopThread && Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            try
            {
                _wakeSender.Send(_wakeByte, SocketFlags.None, out _);
            }
            catch (ObjectDisposedException)
            {
                // The loop has already ended: nothing left to wake.
            }
        }
    }

    protected override void StartAccepting() => _loopThread.Start();

    protected override Session CreateSession(long id, Socket socket) => new SelectSession(id, socket, Context, this);

    protected override Task WaitForAcceptLoopAsync() => Task.Run(() => _loopThread.Join(TimeSpan.FromMilliseconds(500)));

    /// <summary>The loop closes its own sessions when it sees the stop, so no other thread touches their sockets.</summary>
    protected override void RequestSessionsClose() => WakeFromOtherThread();

    private void Loop()
    {
        Stopwatch? stopClock = null;
        while (true)
        {
            if (Stopping.IsCancellationRequested && stopClock is null)
            {
                stopClock = Stopwatch.StartNew();
                foreach (var session in _sessions.Values)
                {
                    session.Close(DisconnectReason.ServerShutdown);
                }
            }

            if (stopClock is not null && stopClock.Elapsed > StopFlushTime)
            {
                foreach (var session in _sessions.Values)
                {
                    session.Abort();
                    session.Complete();
                }

                _sessions.Clear();
            }

            BuildInterestLists(accepting: stopClock is null && Stopwatch.GetTimestamp() >= _acceptResumesAt);
            if (stopClock is not null && _sessions.Count == 0)
            {
                break;
            }

            try
            {
                System.Net.Sockets.Socket.Select(_readable, _writable, null, PollMicroseconds(stopClock is not null));
            }
            catch (ObjectDisposedException)
            {
                // The listener closed under us at stop; the next pass notices.
                continue;
            }

            DispatchReadable();
            DispatchWritable();
        }

        _wakeReceiver.Dispose();
        _wakeSender.Dispose();
    }

    private void BuildInterestLists(bool accepting)
    {
        _readable.Clear();
        _writable.Clear();
        _finished.Clear();
        _readable.Add(_wakeReceiver);
        if (accepting)
        {
            _readable.Add(Listener);
        }

        foreach (var (socket, session) in _sessions)
        {
            if (session.IsFinished)
            {
                _finished.Add(session);
                continue;
            }

            if (session.WantsRead)
            {
                _readable.Add(socket);
            }

            if (session.WantsWrite)
            {
                _writable.Add(socket);
            }
        }

        foreach (var session in _finished)
        {
            _sessions.Remove(session.Socket);
            session.Complete();
        }
    }

    private void DispatchReadable()
    {
        foreach (var socket in _readable)
        {
            if (socket == _wakeReceiver)
            {
                DrainWakeUps();
            }
            else if (socket == Listener)
            {
                AcceptReady();
            }
            else if (_sessions.TryGetValue(socket, out var session) && session.WantsRead)
            {
                Guard(session, static (s, buffer) => s.OnReadable(buffer));
            }
        }
    }

    private void DispatchWritable()
    {
        foreach (var socket in _writable)
        {
            if (_sessions.TryGetValue(socket, out var session) && session.WantsWrite)
            {
                Guard(session, static (s, _) => s.OnWritable());
            }
        }
    }

    /// <summary>
    /// One session's failure must not end the loop that serves all of them: a socket disposed under it (an abort at
    /// shutdown) or an unexpected error closes that session only.
    /// </summary>
    private void Guard(SelectSession session, Action<SelectSession, byte[]> step)
    {
        try
        {
            step(session, _receiveBuffer);
        }
        catch (Exception e)
        {
            session.CloseAfter(e);
        }
    }

    private void DrainWakeUps()
    {
        // Clear the flag before reading, so a wake-up sent while draining is not lost.
        Volatile.Write(ref _wakePending, 0);
        while (_wakeReceiver.Available > 0)
        {
            _wakeReceiver.Receive(_receiveBuffer, 0, _receiveBuffer.Length, SocketFlags.None, out _);
        }
    }

    private void AcceptReady()
    {
        for (var i = 0; i < AcceptsPerPass; i++)
        {
            Socket socket;
            try
            {
                if (i > 0 && !Listener.Poll(0, SelectMode.SelectRead))
                {
                    return;
                }

                socket = Listener.Accept();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return; // stopping: the listener closed between select and accept
            }
            catch (SocketException e)
            {
                // Leave the listener out of the poll set while backing off: it stays readable, and would spin the loop.
                var wait = AcceptFailures.Handle(e);
                _acceptResumesAt = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
                return;
            }

            if (Accepted(socket) is SelectSession session)
            {
                _sessions.Add(socket, session);
                session.Open();
            }
        }
    }

    /// <summary>How long one poll may wait: short while stopping or while accepting is paused, so neither waits on traffic.</summary>
    private int PollMicroseconds(bool stopping)
    {
        if (stopping)
        {
            return StoppingPollMicroseconds;
        }

        var untilResume = _acceptResumesAt - Stopwatch.GetTimestamp();
        return untilResume > 0
            ? (int)Math.Clamp(untilResume * 1_000_000 / Stopwatch.Frequency, 1_000, IdlePollMicroseconds)
            : IdlePollMicroseconds;
    }
}

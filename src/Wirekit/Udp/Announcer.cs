using System.Net;
using Microsoft.Extensions.Logging;

namespace Wirekit.Udp;

/// <summary>
/// Broadcasts a server's <see cref="AnnouncementInfo"/> on the discovery port now and then every
/// <see cref="AnnouncerOptions.Interval"/>, until disposed. Send failures are logged, never thrown: a server must keep
/// serving when its network refuses broadcasts.
/// </summary>
public sealed partial class Announcer : IAsyncDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(5);
    private readonly DatagramSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private Announcer(DatagramSocket socket, byte[] datagram, AnnouncerOptions options, ILogger logger)
    {
        _socket = socket;
        _loop = AnnounceLoopAsync(datagram, new IPEndPoint(options.BroadcastAddress, options.Port), options.Interval, logger, _stop.Token);
    }

    /// <summary>
    /// Starts announcing. The socket is created before this returns (on the caller's thread, which fixes its network
    /// namespace on Linux). Throws only for an invalid <paramref name="info"/> or an unusable local address.
    /// </summary>
    public static Announcer Start(AnnouncementInfo info, AnnouncerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (options.Interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Interval must be positive.");
        }

        var datagram = AnnouncementCodec.Encode(info);
        var socket = DatagramSocket.Bind(new IPEndPoint(options.LocalAddress, 0), allowBroadcast: true);
        Log.Started(logger, info.Service, info.Port, options.BroadcastAddress, options.Port);
        return new Announcer(socket, datagram, options, logger);
    }

    private async Task AnnounceLoopAsync(byte[] datagram, IPEndPoint target, TimeSpan interval, ILogger logger, CancellationToken ct)
    {
        // Yield first so Start returns before the first send.
        await Task.Yield();
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                var result = await _socket.SendToAsync(datagram, target, ct).ConfigureAwait(false);
                if (result != DatagramError.None)
                {
                    Log.SendFailed(logger, target, DatagramErrors.Describe(result));
                }
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Disposed: the normal way to stop.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(StopLimit).ConfigureAwait(false);
        }
        finally
        {
            _socket.Dispose();
            _stop.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Announcing {Service} on port {ServicePort} to {Address}:{DiscoveryPort}")]
        public static partial void Started(ILogger logger, string service, int servicePort, IPAddress address, int discoveryPort);

        // Warning, not Error: a host without a broadcast route still serves; discovery is a convenience.
        [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Announcement to {Target} not sent: {Reason}")]
        public static partial void SendFailed(ILogger logger, IPEndPoint target, string reason);
    }
}

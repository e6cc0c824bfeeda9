using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Wirekit.Proxy;

/// <summary>
/// One client and its connection to the target: two pumps, a watch over the timed faults, and the one place that
/// decides how the pair ends (FIN both ways, a reset passed on, a fault's close or reset) and reports it.
/// </summary>
internal sealed class ProxyConnection(long id, Socket client, ProxyOptions options, ProxyFaultTable table)
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public async Task<ProxyConnectionReport> RunAsync(CancellationToken stopping)
    {
        var remote = (IPEndPoint)client.RemoteEndPoint!;
        using var target = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var connecting = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            connecting.CancelAfter(options.ConnectTimeout);
            await target.ConnectAsync(options.TargetHost, options.TargetPort, connecting.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // The client learns at once that nothing is behind the proxy, as it would from the target itself.
            Abort(client);
            return Report(remote, null, null, stopping.IsCancellationRequested ? ProxyEnd.ProxyStopped : ProxyEnd.TargetUnreachable);
        }

        // Chunks leave as soon as they arrive: the proxy must not add Nagle's wait to what it forwards.
        client.NoDelay = true;
        target.NoDelay = true;
        var up = new DirectionPump(ProxyDirection.Up, client, target, table, options.BufferBytes);
        var down = new DirectionPump(ProxyDirection.Down, target, client, table, options.BufferBytes);
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var upRun = up.RunAsync(running.Token);
        var downRun = down.RunAsync(running.Token);
        var watch = WatchTimedFaultsAsync(up, down, running.Token);
        var end = await EndAsync(upRun, downRun, watch);
        await running.CancelAsync();
        await Task.WhenAll(upRun, downRun, watch);
        if (end == ProxyEnd.LimitData)
        {
            await CloseAfterFinAsync(client, target);
        }

        Close(end, target);
        await up.StopAsync();
        await down.StopAsync();
        return Report(remote, up, down, end);
    }

    /// <summary>Waits until both directions finished, or one of them (or a timed fault) ended the connection.</summary>
    private static async Task<ProxyEnd> EndAsync(Task<PumpEnd> upRun, Task<PumpEnd> downRun, Task<PumpEnd> watch)
    {
        var pending = new List<Task<PumpEnd>> { upRun, downRun, watch };
        while (true)
        {
            var done = await Task.WhenAny(pending);
            var end = await done;
            if (end != PumpEnd.Finished)
            {
                return (end, done == upRun) switch
                {
                    (PumpEnd.SourceReset, true) or (PumpEnd.DestinationFailed, false) => ProxyEnd.ClientReset,
                    (PumpEnd.SourceReset, false) or (PumpEnd.DestinationFailed, true) => ProxyEnd.TargetReset,
                    (PumpEnd.LimitReached, _) => ProxyEnd.LimitData,
                    (PumpEnd.ResetFault, _) => ProxyEnd.ResetFault,
                    _ => ProxyEnd.ProxyStopped,
                };
            }

            pending.Remove(done);
            if (!pending.Contains(upRun) && !pending.Contains(downRun))
            {
                return ProxyEnd.Closed;
            }
        }
    }

    /// <summary>
    /// --limit-data: FIN both ways, then read and drop what the peers still send until they close too (2 s at most).
    /// Closing a socket with unread bytes sends RST, and a RST makes the peer's kernel drop what it has not read yet:
    /// the bytes forwarded before the limit would be lost with it.
    /// </summary>
    private static async Task CloseAfterFinAsync(Socket client, Socket target)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Task.WhenAll(DrainAsync(client, limit.Token), DrainAsync(target, limit.Token));
    }

    private static async Task DrainAsync(Socket socket, CancellationToken cancellationToken)
    {
        var scrap = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            while (await socket.ReceiveAsync(scrap, SocketFlags.None, cancellationToken) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Reset, or still talking after 2 s: it is closed now either way.
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scrap);
        }
    }

    /// <summary>A reset is passed on as a reset (the other side must not take a cut stream for a complete one); the rest close.</summary>
    private void Close(ProxyEnd end, Socket target)
    {
        switch (end)
        {
            case ProxyEnd.ClientReset:
                Abort(target);
                client.Dispose();
                break;
            case ProxyEnd.TargetReset:
                Abort(client);
                target.Dispose();
                break;
            case ProxyEnd.ResetFault:
                Abort(client);
                Abort(target);
                break;
            default:
                client.Dispose();
                target.Dispose();
                break;
        }
    }

    /// <summary>--reset-after Ns and --blackhole-after Ns, counted from accept; re-read whenever the faults change.</summary>
    private async Task<PumpEnd> WatchTimedFaultsAsync(DirectionPump up, DirectionPump down, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var changed = table.Changed;
                var age = Stopwatch.GetElapsedTime(_started);
                TimeSpan? next = null;
                foreach (var pump in (ReadOnlySpan<DirectionPump>)[up, down])
                {
                    var faults = table[pump.Direction];
                    if (faults.ResetAfter?.After is { } resetAt)
                    {
                        if (age >= resetAt)
                        {
                            return PumpEnd.ResetFault;
                        }

                        next = Min(next, resetAt - age);
                    }

                    if (faults.BlackholeAfter?.After is { } holeAt && !pump.Applied.HasFlag(AppliedFaults.BlackholeAfter))
                    {
                        if (age >= holeAt)
                        {
                            pump.Blackhole();
                        }
                        else
                        {
                            next = Min(next, holeAt - age);
                        }
                    }
                }

                await (next is { } wait ? Task.WhenAny(changed, Task.Delay(wait, cancellationToken)) : changed).WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            return PumpEnd.Finished;
        }
    }

    private ProxyConnectionReport Report(IPEndPoint remote, DirectionPump? up, DirectionPump? down, ProxyEnd end)
    {
        var faults = AppliedFaultNames.Of("up", up?.Applied ?? AppliedFaults.None).Concat(AppliedFaultNames.Of("down", down?.Applied ?? AppliedFaults.None));
        if (end == ProxyEnd.ResetFault && up?.Applied.HasFlag(AppliedFaults.ResetAfter) != true && down?.Applied.HasFlag(AppliedFaults.ResetAfter) != true)
        {
            faults = faults.Append("reset-after");
        }

        return new ProxyConnectionReport(id, remote, up?.Forwarded ?? 0, down?.Forwarded ?? 0, up?.Dropped ?? 0, down?.Dropped ?? 0, [.. faults], end,
            Stopwatch.GetElapsedTime(_started))
        {
            Corrupted = (up?.Corrupted ?? 0) + (down?.Corrupted ?? 0),
        };
    }

    private static TimeSpan Min(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;

    /// <summary>Close with RST: linger on, zero seconds.</summary>
    internal static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed: nothing left to reset.
        }

        socket.Dispose();
    }
}

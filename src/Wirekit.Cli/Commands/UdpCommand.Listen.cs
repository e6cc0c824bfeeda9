using System.CommandLine;
using System.Net;
using System.Text.Json;
using Wirekit.Udp;

namespace Wirekit.Cli.Commands;

internal static partial class UdpCommand
{
    internal sealed record ListenSettings
    {
        public required IPEndPoint Bind { get; init; }
        public bool Hex { get; init; }
        public bool Json { get; init; }
        /// <summary>Receive buffer per datagram; smaller than a datagram shows truncation.</summary>
        public int BufferSize { get; init; } = DatagramLimits.MaxIPv6Payload;
        /// <summary>Stop after this many datagrams; 0 = no limit.</summary>
        public int Count { get; init; }
        /// <summary>Stop after this long; 0 = until cancelled.</summary>
        public double Seconds { get; init; }
        /// <summary>Fail when no datagram arrives for this long; 0 = wait forever.</summary>
        public double QuietTimeout { get; init; }
    }

    private static readonly TimeSpan NumberedRunIdle = TimeSpan.FromSeconds(1);

    private static Command CreateListen()
    {
        var port = new Option<int>("--port", "-p") { Description = "UDP port to receive on.", DefaultValueFactory = _ => DefaultPort };
        var bind = BindOption("127.0.0.1",
            "Address to bind. 127.0.0.1 hears only this machine; use 0.0.0.0 to hear other hosts and broadcasts.");
        var hex = new Option<bool>("--hex") { Description = "Show every payload as a hex dump, even when it looks like text." };
        var buffer = new Option<int>("--buffer")
        {
            Description = "Bytes to receive each datagram into. A datagram larger than this is cut and reported " +
                          "'truncated': UDP cannot deliver the rest later.",
            DefaultValueFactory = _ => DatagramLimits.MaxIPv6Payload,
        };
        var count = new Option<int>("--count", "-n") { Description = "Stop after this many datagrams (0: no limit)." };
        var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds (0: until Ctrl+C)." };
        var timeout = CommonOptions.Timeout(0);
        timeout.Description = "Fail if no datagram arrives for this many seconds (0: wait forever).";
        var json = CommonOptions.Json();
        json.Description = "Print one JSON object per datagram (sender, size, truncated, text or hex).";

        var command = new Command("listen",
            "Print every datagram that arrives: sender, size and text (or a hex dump for binary). Numbered datagrams " +
            "from 'udp send --count' are tallied and the loss is reported at the end.")
        {
            port, bind, hex, buffer, count, seconds, timeout, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!TryParseAddress(parse.GetValue(bind)!, Console.Error, out var address))
            {
                return 1;
            }

            var settings = new ListenSettings
            {
                Bind = new IPEndPoint(address, parse.GetValue(port)),
                Hex = parse.GetValue(hex),
                Json = parse.GetValue(json),
                BufferSize = parse.GetValue(buffer),
                Count = parse.GetValue(count),
                Seconds = parse.GetValue(seconds),
                QuietTimeout = parse.GetValue(timeout),
            };
            return await RunListenAsync(settings, Console.Out, Console.Error, onBound: null, ct);
        });
        return command;
    }

    internal static async Task<int> RunListenAsync(
        ListenSettings settings, TextWriter output, TextWriter error, Action<IPEndPoint>? onBound, CancellationToken ct)
    {
        if (settings.BufferSize is < 1 or > DatagramLimits.MaxIPv6Payload)
        {
            error.WriteLine($"error: --buffer must be 1..{DatagramLimits.MaxIPv6Payload}");
            return 1;
        }

        DatagramSocket socket;
        try
        {
            socket = DatagramSocket.Bind(settings.Bind, reuseAddress: true);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            error.WriteLine($"error: cannot bind udp {settings.Bind}: {e.SocketErrorCode}");
            return 1;
        }

        using (socket)
        {
            onBound?.Invoke(socket.LocalEndPoint);
            var status = settings.Json ? error : output;
            status.WriteLine($"listening on udp {socket.LocalEndPoint} (Ctrl+C to stop)");
            using var run = LinkedTimeout(settings.Seconds, ct);
            var tally = new LossTally();
            var buffer = new byte[settings.BufferSize];
            var received = 0;
            var exitCode = 0;
            while (!run.IsCancellationRequested && (settings.Count == 0 || received < settings.Count))
            {
                // While a numbered run is open, a short silence means the sender is done: report the run then.
                var runOpen = tally.Expected > 0;
                using var quiet = LinkedTimeout(runOpen ? NumberedRunIdle.TotalSeconds : settings.QuietTimeout, run.Token);
                ReceivedDatagram datagram;
                try
                {
                    datagram = await socket.ReceiveAsync(buffer, quiet.Token);
                }
                catch (OperationCanceledException) when (!run.IsCancellationRequested && runOpen)
                {
                    status.WriteLine(tally.Summary());
                    tally = new LossTally();
                    continue;
                }
                catch (OperationCanceledException)
                {
                    if (!run.IsCancellationRequested)
                    {
                        error.WriteLine($"error: no datagram within {settings.QuietTimeout} s");
                        exitCode = 1;
                    }

                    break;
                }

                if (!datagram.Succeeded)
                {
                    error.WriteLine($"warning: {DatagramErrors.Describe(datagram.Error)}");
                    continue;
                }

                received++;
                var payload = buffer.AsSpan(0, datagram.Length);
                if (SequencedDatagram.TryRead(payload, out var sequence, out var total) == System.Buffers.OperationStatus.Done
                    && tally.Record(sequence, total))
                {
                    if (tally.Complete)
                    {
                        status.WriteLine(tally.Summary());
                        tally = new LossTally();
                    }

                    continue;
                }

                Print(output, settings, datagram, payload);
            }

            if (tally.Expected > 0)
            {
                status.WriteLine(tally.Summary());
            }

            return exitCode;
        }
    }

    private static void Print(TextWriter output, ListenSettings settings, ReceivedDatagram datagram, ReadOnlySpan<byte> payload)
    {
        var isText = !settings.Hex && DatagramText.LooksLikeText(payload);
        if (settings.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                from = datagram.Remote?.ToString(),
                bytes = datagram.Length,
                truncated = datagram.Truncated,
                text = isText ? DatagramText.AsText(payload) : null,
                hex = isText ? null : Convert.ToHexString(payload),
            }));
            return;
        }

        var truncated = datagram.Truncated ? $" (truncated: only the first {payload.Length} bytes fit --buffer; the rest is lost)" : "";
        if (isText)
        {
            output.WriteLine($"{datagram.Remote}  {datagram.Length} bytes{truncated}  {DatagramText.AsText(payload)}");
        }
        else
        {
            output.WriteLine($"{datagram.Remote}  {datagram.Length} bytes{truncated}");
            output.WriteLine(DatagramText.HexDump(payload));
        }
    }
}

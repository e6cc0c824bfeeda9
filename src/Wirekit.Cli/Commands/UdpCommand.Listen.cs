using System.CommandLine;
using System.Net;
using Wirekit.Cli.Invocation;
using Wirekit.Udp;

namespace Wirekit.Cli.Commands;

internal static partial class UdpCommand
{
    internal sealed record ListenSettings
    {
        public required IPEndPoint Bind { get; init; }
        public bool Hex { get; init; }
        public bool Json { get; init; }
        /// <summary>No "listening on" line.</summary>
        public bool Quiet { get; init; }
        /// <summary>Receive buffer per datagram; smaller than a datagram shows truncation.</summary>
        public int BufferSize { get; init; } = DatagramLimits.MaxIPv6Payload;
        /// <summary>Stop after printing this many datagrams (numbered ones are tallied, not counted); 0 = no limit.</summary>
        public int Count { get; init; }
        /// <summary>Stop after this long; 0 = until cancelled.</summary>
        public double Seconds { get; init; }
        /// <summary>Fail when no datagram arrives for this long; 0 = wait forever.</summary>
        public double QuietTimeout { get; init; }
    }

    private static readonly TimeSpan NumberedRunIdle = TimeSpan.FromSeconds(1);

    private static Command CreateListen()
    {
        var port = CommonOptions.ListenPort(DefaultPort, "UDP port to receive on (0: any free port, printed at start).");
        var bind = BindOption("127.0.0.1",
            "Address to bind. 127.0.0.1 hears only this machine; use 0.0.0.0 to hear other hosts and broadcasts.");
        var hex = new Option<bool>("--hex") { Description = "Show every payload as a hex dump, even when it looks like text." };
        var buffer = new Option<int>("--buffer")
        {
            Description = "Bytes to receive each datagram into. A datagram larger than this is cut and reported " +
                          "'truncated': UDP cannot deliver the rest later.",
            DefaultValueFactory = _ => DatagramLimits.MaxIPv6Payload,
            HelpName = "bytes",
        };
        var stopAfter = new Option<int>("--stop-after")
        {
            HelpName = "count",
            Description = "Exit after printing this many datagrams, e.g. to capture one reply in a script (0: no limit).",
        };
        var seconds = new Option<double>("--seconds", "-t") { Description = "Stop after this many seconds (0: until Ctrl+C).", HelpName = "seconds" };
        var idle = CommonOptions.IdleTimeout(0);
        idle.Description = "Fail (exit 1) if no datagram arrives for this many seconds: a sender that went quiet (0: wait forever).";
        var json = CommonOptions.Json();
        json.Description = "Print one JSON object per line for each datagram (from, bytes, truncated, and text for UTF-8 or " +
                           "hex for binary) and for each numbered run's tally (docs/json.md).";
        var quiet = CommonOptions.Quiet();
        quiet.Description = "Print only datagrams and tallies, not the 'listening on' line.";

        var command = new Command("listen",
            "Print every datagram that arrives: sender, size and text (or a hex dump for binary). Numbered datagrams " +
            "from 'udp send --count' are tallied and the loss is reported at the end: UDP drops datagrams when the " +
            "receiver's buffer fills, even on one machine.")
        {
            port, bind, hex, buffer, stopAfter, seconds, idle, json, quiet,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new ListenSettings
            {
                Bind = new IPEndPoint(ParseAddress("--bind", parse.GetValue(bind)!), parse.GetValue(port)),
                Hex = parse.GetValue(hex),
                Json = parse.GetValue(json),
                Quiet = parse.GetValue(quiet),
                BufferSize = parse.GetValue(buffer),
                Count = parse.GetValue(stopAfter),
                Seconds = parse.GetValue(seconds),
                QuietTimeout = parse.GetValue(idle),
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
            throw CommandFailure.Usage($"--buffer must be 1..{DatagramLimits.MaxIPv6Payload}");
        }

        DatagramSocket socket;
        try
        {
            socket = DatagramSocket.Bind(settings.Bind, reuseAddress: true);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new CommandFailure($"cannot bind udp {settings.Bind}: {e.SocketErrorCode}");
        }

        using (socket)
        {
            onBound?.Invoke(socket.LocalEndPoint);
            if (!settings.Quiet)
            {
                // Under --json stdout carries only JSON lines; the banner is for the person watching.
                (settings.Json ? error : output).WriteLine($"listening on udp {socket.LocalEndPoint} (Ctrl+C to stop)");
            }

            using var run = LinkedTimeout(settings.Seconds, ct);
            var tally = new LossTally();
            var buffer = new byte[settings.BufferSize];
            var printed = 0;
            while (!run.IsCancellationRequested && (settings.Count == 0 || printed < settings.Count))
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
                    PrintTally(output, settings, tally);
                    tally = new LossTally();
                    continue;
                }
                catch (OperationCanceledException)
                {
                    if (!run.IsCancellationRequested)
                    {
                        throw new CommandFailure($"no datagram within {settings.QuietTimeout} s (--idle-timeout)");
                    }

                    break;
                }

                if (!datagram.Succeeded)
                {
                    error.WriteLine($"warning: {DatagramErrors.Describe(datagram.Error)}");
                    continue;
                }

                var payload = buffer.AsSpan(0, datagram.Length);
                if (SequencedDatagram.TryRead(payload, out var sequence, out var total) == System.Buffers.OperationStatus.Done
                    && tally.Record(sequence, total))
                {
                    if (tally.Complete)
                    {
                        PrintTally(output, settings, tally);
                        tally = new LossTally();
                    }

                    continue;
                }

                // --stop-after counts what is printed; numbered datagrams are tallied, not printed.
                Print(output, settings, datagram, payload);
                printed++;
            }

            if (tally.Expected > 0)
            {
                PrintTally(output, settings, tally);
            }

            return ExitCodes.Success;
        }
    }

    private static void Print(TextWriter output, ListenSettings settings, ReceivedDatagram datagram, ReadOnlySpan<byte> payload)
    {
        var isText = !settings.Hex && DatagramText.LooksLikeText(payload);
        if (settings.Json)
        {
            output.WriteLine(CliJson.SerializeLine(new DatagramLine(
                datagram.Remote?.ToString(), datagram.Length, datagram.Truncated,
                isText ? DatagramText.AsText(payload) : null,
                isText ? null : Convert.ToHexStringLower(payload))));
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

    private static void PrintTally(TextWriter output, ListenSettings settings, LossTally tally)
        => output.WriteLine(settings.Json
            ? CliJson.SerializeLine(new TallyEnvelope(new TallyLine(tally.Expected, tally.Received - tally.Duplicates, tally.Lost, tally.Duplicates, tally.OutOfOrder)))
            : tally.Summary());

    /// <summary>One received datagram under --json (docs/json.md): exactly one of text and hex is present.</summary>
    internal sealed record DatagramLine(string? From, int Bytes, bool Truncated, string? Text, string? Hex);

    /// <summary>A numbered run from `udp send --count`, under --json as {"tally": {...}}.</summary>
    /// <summary>The `{"tally": ...}` line that ends a numbered run.</summary>
    internal sealed record TallyEnvelope(TallyLine Tally);

    internal sealed record TallyLine(uint Expected, long Received, long Lost, long Duplicates, long OutOfOrder);
}

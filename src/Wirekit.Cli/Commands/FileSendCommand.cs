using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Wirekit.Cli.Invocation;
using Wirekit.Engines;
using Wirekit.Transfer;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit file send`: the seed's protocol-less senders (FileSender and the TransmitFile program, docs/file-protocol.md), a subcommand of <see cref="FileCommand"/>.</summary>
internal static class FileSendCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The file every client receives." };
        var raw = new Option<bool>("--raw")
        {
            Description = "Send the bytes as soon as a client connects, then close. No name, no size: only the close marks the end, " +
                "so a client cannot tell a complete file from a cut one (try `nc 127.0.0.1 25002 > out`).",
        };
        var transmit = new Option<bool>("--transmit")
        {
            Description = "Send a header first (the file name in 256 bytes, then its size as a 32-bit little-endian number), then the bytes, " +
                "and wait for the client to close: the client knows what it gets and when it has it all.",
        };
        var port = CommonOptions.ListenPort(DefaultPorts.File, "TCP port to listen on (0 = any free port).");
        var bind = new Option<string>("--bind", "-b") { Description = "Address to listen on. 127.0.0.1 keeps it private to this machine.", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("send",
            "Push one file to every client that connects, without waiting for a request: the simplest file servers there are, " +
            "kept to compare with `file serve` (which lists, verifies and resumes).")
        {
            file, raw, transmit, port, bind,
        };
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            if (parse.GetValue(raw) == parse.GetValue(transmit))
            {
                throw CommandFailure.Usage("choose one of --raw and --transmit");
            }

            if (!IPAddress.TryParse(parse.GetValue(bind), out var address))
            {
                throw CommandFailure.Usage($"--bind must be an IP address such as 127.0.0.1 or 0.0.0.0, not '{parse.GetValue(bind)}'");
            }

            SeedFileSendHandler handler;
            try
            {
                handler = new SeedFileSendHandler(parse.GetValue(file)!, parse.GetValue(raw) ? SeedSendMode.Raw : SeedSendMode.Transmit, TimeSpan.FromSeconds(60));
            }
            catch (Exception e) when (e is FileNotFoundException or ArgumentException)
            {
                // An ArgumentException's message ends " (Parameter 'path')": for a programmer, not for the person who typed the file name.
                throw CommandFailure.Usage(e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : e.Message);
            }

            IServer host;
            try
            {
                host = ServerHost.Start(EngineKind.Async, new ServerOptions { BindAddress = address, Port = parse.GetValue(port), ReuseAddress = true }, handler);
            }
            catch (SocketException e)
            {
                // As the server commands do: a port that cannot be had is the command line's problem (exit 2).
                throw CommandFailure.Usage($"cannot listen on {address}:{parse.GetValue(port)}: {char.ToLowerInvariant(e.Message[0])}{e.Message[1..]}");
            }

            await using var running = host;
            await Console.Out.WriteLineAsync($"sending {parse.GetValue(file)} to every client of {host.LocalEndPoint}; Ctrl+C stops");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                await Console.Out.WriteLineAsync("stopping");
            }

            return 0;
        });
        return command;
    }
}

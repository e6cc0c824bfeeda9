using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Wirekit.Engines;
using Wirekit.Transfer;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit file send`: the seed's protocol-less senders (FileSender and the TransmitFile program), a subcommand of <see cref="FileCommand"/>.</summary>
internal static class FileSendCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The file every client receives." };
        var raw = new Option<bool>("--raw") { Description = "The seed's FileSender: the bytes on connect, then close. No name, no size: only the close marks the end (`nc 127.0.0.1 25002 > out`)." };
        var transmit = new Option<bool>("--transmit") { Description = "The seed's TransmitFile program: MY_FILE_DATA { char name[256]; uint32 size } first, then the bytes; the server then waits for the client to close." };
        var port = new Option<int>("--port") { Description = "TCP port to listen on (0 = any free port).", DefaultValueFactory = _ => DefaultPorts.File };
        var bind = new Option<string>("--bind") { Description = "Address to listen on (loopback by default).", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("send", "Push one file to every client that connects, without a request: the seed's protocol-less senders, kept to compare with `file serve`.")
        {
            file, raw, transmit, port, bind,
        };
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            if (parse.GetValue(raw) == parse.GetValue(transmit) || !IPAddress.TryParse(parse.GetValue(bind), out var address))
            {
                await Console.Error.WriteLineAsync("error: choose exactly one of --raw and --transmit, and give --bind an IP address");
                return 2;
            }

            SeedFileSendHandler handler;
            try
            {
                handler = new SeedFileSendHandler(parse.GetValue(file)!, parse.GetValue(raw) ? SeedSendMode.Raw : SeedSendMode.Transmit, TimeSpan.FromSeconds(60));
            }
            catch (Exception e) when (e is FileNotFoundException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return 2;
            }

            IServer host;
            try
            {
                host = ServerHost.Start(EngineKind.Async, new ServerOptions { BindAddress = address, Port = parse.GetValue(port), ReuseAddress = true }, handler);
            }
            catch (SocketException e)
            {
                // As the server commands do: a port that cannot be had is the command line's problem (exit 2).
                await Console.Error.WriteLineAsync($"error: cannot listen on {address}:{parse.GetValue(port)}: {char.ToLowerInvariant(e.Message[0])}{e.Message[1..]}");
                return 2;
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

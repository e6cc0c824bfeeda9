using System.CommandLine;
using System.Net.Sockets;
using System.Text;
using Wirekit.Cli.Hosting;
using Wirekit.Echo;
using Wirekit.Engines;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit echo serve|connect`: the seed's TCP echo server and client.</summary>
internal static class EchoCommand
{
    public static Command Create()
    {
        var command = new Command("echo", "TCP echo: a server that sends back exactly what it receives, and an interactive client.");
        command.Subcommands.Add(CreateServe());
        command.Subcommands.Add(CreateConnect());
        return command;
    }

    private static Command CreateServe()
    {
        var command = new Command("serve",
            "Run the echo server on the chosen I/O model until Ctrl+C or SIGTERM. With --verbose it logs the size of " +
            "every receive, so `echo connect --bytewise` shows TCP joining one-byte sends into bigger segments.");
        var server = ServerCommandOptions.AddTo(command, DefaultPorts.Echo, EngineFeatures.None);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = server.CreateLoggers(parse);
            var engine = server.EngineOf(parse);
            return await ServerRunner.RunAsync(
                [new ServerLaunch("echo", server.Read(parse), options => ServerHost.Start(engine, options, new EchoService(), loggers), endPoint => $"nc {endPoint.Address} {endPoint.Port}")],
                server.Console(parse, loggers),
                cancellationToken);
        });
        return command;
    }

    private static Command CreateConnect()
    {
        var host = new Argument<string>("host") { Description = "Server name or address.", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Argument<int>("port") { Description = "Server port.", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => DefaultPorts.Echo };
        var noDelay = new Option<bool>("--nodelay") { Description = "Set TCP_NODELAY: each send leaves at once instead of waiting for Nagle's algorithm." };
        var bytewise = new Option<bool>("--bytewise") { Description = "Send one byte per send call (the seed's experiment: the server still receives bigger pieces, because TCP is a byte stream, not messages)." };
        var command = new Command("connect",
            "Type a line, see `From server: ...`; EXIT quits. With stdin from a file or pipe, sends each line, " +
            "prints each reply and exits at end of input. The client closes first, so TIME_WAIT stays on this side.")
        {
            host, port, noDelay, bytewise,
        };
        command.SetAction(async (parse, cancellationToken) => await RunClientAsync(
            parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(noDelay), parse.GetValue(bytewise),
            Console.In, Console.Out, Console.Error, interactive: !Console.IsInputRedirected, cancellationToken));
        return command;
    }

    internal static async Task<int> RunClientAsync(
        string host, int port, bool noDelay, bool bytewise, TextReader input, TextWriter output, TextWriter errors, bool interactive, CancellationToken cancellationToken)
    {
        EchoClient client;
        try
        {
            client = await EchoClient.ConnectAsync(host, port, noDelay, cancellationToken);
        }
        catch (SocketException e)
        {
            errors.WriteLine($"error: cannot connect to {host}:{port}: {e.Message}");
            return 1;
        }

        await using (client)
        {
            if (interactive)
            {
                output.WriteLine($"connected to {client.RemoteEndPoint}; type a line, EXIT to quit");
            }

            try
            {
                while (await ReadLineAsync(input, interactive, output, cancellationToken) is { } line)
                {
                    if (line == "EXIT")
                    {
                        break;
                    }

                    var echo = await client.RoundTripAsync(Encoding.UTF8.GetBytes(line + "\n"), bytewise, cancellationToken);
                    output.WriteLine($"From server: {Encoding.UTF8.GetString(echo).TrimEnd('\n')}");
                }

                await client.CloseAsync(cancellationToken);
                return 0;
            }
            catch (Exception e) when (e is SocketException or EndOfStreamException)
            {
                errors.WriteLine($"error: {e.Message}");
                return 1;
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
        }
    }

    private static async Task<string?> ReadLineAsync(TextReader input, bool interactive, TextWriter output, CancellationToken cancellationToken)
    {
        if (interactive)
        {
            output.Write("> ");
        }

        return await input.ReadLineAsync(cancellationToken);
    }
}

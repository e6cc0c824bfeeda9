using System.Net;
using System.Net.Sockets;
using System.Text;
using Wirekit.Cli.Invocation;
using Wirekit.Cli.Terminal;
using Wirekit.Echo;
using Wirekit.Tls;

namespace Wirekit.Cli.Commands;

/// <summary>What `echo connect` was asked to do.</summary>
internal sealed record EchoConnectSettings(ServerAddress Server, bool NoDelay, bool Bytewise, bool Nul, bool Json = false, bool Quiet = false, ClientTls? Tls = null);

/// <summary>`echo connect --json`: one object per reply (docs/json.md).</summary>
internal sealed record EchoReplyJson(string Reply);

internal static partial class EchoCommand
{
    /// <summary>
    /// `echo connect`: a receive loop prints what arrives while the input side sends what is typed, so a server that
    /// closes is noticed at once, not at the next line. From a pipe each line waits for its reply before the next
    /// goes (a reply, not a length: the reply need not be as long as the request).
    /// </summary>
    internal static async Task<int> RunClientAsync(EchoConnectSettings settings, ILineConsole console, CancellationToken cancellationToken)
    {
        var server = settings.Server;
        EchoClient client;
        try
        {
            client = await EchoClient.ConnectAsync(server.Host, server.Port, settings.NoDelay, cancellationToken, settings.Tls);
        }
        catch (SocketException e)
        {
            throw new CommandFailure($"cannot connect to {server}: {e.Message}");
        }
        catch (ClientTlsException e)
        {
            throw TlsClientOptions.Failure(e);
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Interrupted;
        }

        await using (client)
        {
            if (console.CanAsk && !settings.Json && !settings.Quiet)
            {
                console.Print($"connected to {Shown(client.RemoteEndPoint)}; type a line, EXIT to quit");
            }

            using var receiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var replies = new SemaphoreSlim(0);
            Func<string, string> shown = settings.Json ? reply => CliJson.SerializeLine(new EchoReplyJson(reply)) : reply => $"From server: {reply}";
            var receive = PrintRepliesAsync(client, console, shown, replies, receiving.Token);
            try
            {
                while (true)
                {
                    var read = console.ReadLineAsync(receiving.Token);
                    if (await Task.WhenAny(read, receive) == receive)
                    {
                        throw ServerClosed(console, receive, cancellationToken);
                    }

                    var line = await read;
                    if (line is null || line == "EXIT")
                    {
                        break;
                    }

                    await client.SendAsync(Encoding.UTF8.GetBytes(line + (settings.Nul ? "\0" : "\n")), settings.Bytewise, cancellationToken);
                    if (!console.CanAsk && await Task.WhenAny(replies.WaitAsync(cancellationToken), receive) == receive)
                    {
                        throw ServerClosed(console, receive, cancellationToken);
                    }
                }

                // We close first: FIN, then print what the server still sends until its own FIN.
                await client.FinishSendingAsync();
                await receive.WaitAsync(cancellationToken);
                return ExitCodes.Success;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }
            catch (SocketException e)
            {
                console.Finish();
                throw new CommandFailure($"{server}: {e.Message}");
            }
            catch (ClientTlsException e)
            {
                console.Finish();
                throw TlsClientOptions.Failure(e);
            }
            finally
            {
                await receiving.CancelAsync();
                // Its one possible failure, a TLS refusal, has been reported above.
                await receive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private static async Task PrintRepliesAsync(EchoClient client, ILineConsole console, Func<string, string> shown, SemaphoreSlim replies, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var reply in client.ReceiveRepliesAsync(cancellationToken))
            {
                console.Print(shown(reply));
                replies.Release();
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // A reset ends the conversation as a close does; our own cancellation ends it on purpose.
        }
    }

    /// <summary>
    /// The prompt line is ended first, so the runner's `error:` line starts a line of its own. A TLS server that
    /// refuses our certificate does so after the handshake: the receive loop's failure says so.
    /// </summary>
    private static CommandFailure ServerClosed(ILineConsole console, Task receive, CancellationToken cancellationToken)
    {
        // Ctrl+C ends the receive loop too, and it may win the race: that is still an interrupt, not a close.
        cancellationToken.ThrowIfCancellationRequested();
        console.Finish();
        return TlsClientOptions.FailureOf(receive) is { } tls ? TlsClientOptions.Failure(tls) : new CommandFailure("the server closed the connection");
    }

    /// <summary>127.0.0.1:25000 rather than the dual-mode socket's [::ffff:127.0.0.1]:25000.</summary>
    internal static string Shown(EndPoint endPoint) => endPoint is IPEndPoint ip
        ? new ServerAddress((ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).ToString(), ip.Port).ToString()
        : endPoint.ToString() ?? string.Empty;
}

using System.Net.Sockets;
using Wirekit.Chat;

namespace Wirekit.Cli.Chat;

/// <summary>What `chat join` was asked to do.</summary>
internal sealed record ChatJoinSettings(string Host, int Port, string? Name, bool Reconnect)
{
    /// <summary>How long to wait, after we stop sending, for the server to flush and close its side.</summary>
    public TimeSpan CloseWait { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// `chat join`: a receive loop printing what arrives, and the input loop sending what is typed, as separate tasks
/// (the seed's client used a receive thread for the same reason). EXIT, /quit or end of input close our side first;
/// a drop by the server ends the run, or with --reconnect starts a new connection after a growing pause.
/// </summary>
internal sealed class ChatJoinRunner(ChatJoinSettings settings, IChatConsole console, TextWriter errors)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // A read of the next input line may still be pending when we finish (the server dropped us): end it too.
        using var inputReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            return await RunConnectionsAsync(inputReading.Token, cancellationToken);
        }
        finally
        {
            inputReading.Cancel();
        }
    }

    private async Task<int> RunConnectionsAsync(CancellationToken inputToken, CancellationToken cancellationToken)
    {
        var backoff = settings.FirstBackoff;
        Task<string?>? pendingInput = null;
        while (true)
        {
            ChatClient client;
            try
            {
                client = await ChatClient.ConnectAsync(settings.Host, settings.Port, cancellationToken);
            }
            catch (SocketException e)
            {
                errors.WriteLine($"error: cannot connect to {settings.Host}:{settings.Port}: {e.Message}");
                if (!settings.Reconnect || !await PauseAsync(backoff, cancellationToken))
                {
                    return 1;
                }

                backoff = Grow(backoff);
                continue;
            }
            catch (OperationCanceledException)
            {
                return 0;
            }

            await using (client)
            {
                backoff = settings.FirstBackoff;
                var (finished, input) = await ConverseAsync(client, pendingInput, inputToken, cancellationToken);
                pendingInput = input;
                if (finished)
                {
                    return 0;
                }
            }

            if (!settings.Reconnect)
            {
                return 1;
            }

            console.Print($"{ChatWording.NoticePrefix}reconnecting in {backoff.TotalSeconds:0.#} s");
            if (!await PauseAsync(backoff, cancellationToken))
            {
                return 0;
            }

            backoff = Grow(backoff);
        }
    }

    /// <summary>One connection. True when we ended it; false when the server dropped us (with any unread input task).</summary>
    private async Task<(bool Finished, Task<string?>? PendingInput)> ConverseAsync(
        ChatClient client, Task<string?>? pendingInput, CancellationToken inputToken, CancellationToken cancellationToken)
    {
        using var receiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receive = ReceiveLoopAsync(client, receiving.Token);
        try
        {
            if (settings.Name is { } name)
            {
                await client.SendLineAsync($"/nick {name}", cancellationToken);
            }

            while (true)
            {
                pendingInput ??= console.ReadLineAsync(inputToken);
                if (await Task.WhenAny(pendingInput, receive) == receive)
                {
                    console.Print(ChatWording.NoticePrefix + "disconnected by the server");
                    return (false, pendingInput);
                }

                var line = await pendingInput;
                pendingInput = null;
                if (line is null || line == "EXIT")
                {
                    break;
                }

                await client.SendLineAsync(line, cancellationToken);
                if (line == "/quit" || line.StartsWith("/quit ", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: still close our side first, below.
        }
        catch (SocketException)
        {
            console.Print(ChatWording.NoticePrefix + "connection lost");
            return (false, pendingInput);
        }

        // We close first: FIN now, then print what the server still sends until its FIN (bounded).
        client.FinishSending();
        await Task.WhenAny(receive, Task.Delay(settings.CloseWait, CancellationToken.None));
        receiving.Cancel();
        await receive;
        return (true, null);
    }

    private async Task ReceiveLoopAsync(ChatClient client, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var line in client.ReceiveLinesAsync(cancellationToken))
            {
                console.Print(line);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A reset, or our own cancellation: either way the conversation is over.
        }
    }

    private TimeSpan Grow(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.MaxBackoff.Ticks));

    private static async Task<bool> PauseAsync(TimeSpan pause, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(pause, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

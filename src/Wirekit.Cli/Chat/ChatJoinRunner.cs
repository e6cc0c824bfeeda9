using System.Net.Sockets;
using Wirekit.Chat;

namespace Wirekit.Cli.Chat;

/// <summary>What `chat join` was asked to do.</summary>
internal sealed record ChatJoinSettings(string Host, int Port, string? Name, bool Reconnect)
{
    /// <summary>How long to wait, after we stop sending, for the server to flush and close its side.</summary>
    public TimeSpan CloseWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for the server's answer to the /nick of --name before giving up on it.</summary>
    public TimeSpan NameWait { get; init; } = TimeSpan.FromSeconds(10);

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
    /// <summary>The name to take on each connection: --name, then whatever was typed when it was taken.</summary>
    private string? _name = settings.Name;

    private enum Ending
    {
        /// <summary>We closed: EXIT, /quit, end of input or Ctrl+C.</summary>
        WeLeft,

        /// <summary>The server closed or reset the connection.</summary>
        Dropped,

        /// <summary>The name was refused and nobody can be asked for another, or the server never answered.</summary>
        NameRefused,
    }

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
                var (ending, input) = await ConverseAsync(client, pendingInput, inputToken, cancellationToken);
                pendingInput = input;
                switch (ending)
                {
                    case Ending.WeLeft:
                        return 0;
                    case Ending.NameRefused:
                        return 1;
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

    /// <summary>One connection, and how it ended; when the server dropped us, with any unread input task.</summary>
    private async Task<(Ending Ending, Task<string?>? PendingInput)> ConverseAsync(
        ChatClient client, Task<string?>? pendingInput, CancellationToken inputToken, CancellationToken cancellationToken)
    {
        using var receiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var names = new NameRequest();
        var receive = ReceiveLoopAsync(client, names, receiving.Token);
        var ending = Ending.WeLeft;
        try
        {
            // The name first, before anything typed is sent: under the wrong name nothing should be said.
            Ending? early = null;
            if (_name is not null)
            {
                (early, pendingInput) = await TakeNameAsync(client, names, receive, pendingInput, inputToken, cancellationToken);
            }

            (ending, pendingInput) = early is { } end ? (end, pendingInput) : await TalkAsync(client, receive, pendingInput, inputToken, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: still close our side first, below.
        }
        catch (SocketException)
        {
            console.Print(ChatWording.NoticePrefix + "connection lost");
            return (Ending.Dropped, pendingInput);
        }

        if (ending == Ending.Dropped)
        {
            console.Print(ChatWording.NoticePrefix + "disconnected by the server");
            return (ending, pendingInput);
        }

        // We close first: FIN now, then print what the server still sends until its FIN (bounded).
        client.FinishSending();
        await Task.WhenAny(receive, Task.Delay(settings.CloseWait, CancellationToken.None));
        receiving.Cancel();
        await receive;
        return (ending, null);
    }

    /// <summary>Sends what is typed until EXIT, /quit or end of input, or until the server drops us.</summary>
    private async Task<(Ending Ending, Task<string?>? PendingInput)> TalkAsync(
        ChatClient client, Task receive, Task<string?>? pendingInput, CancellationToken inputToken, CancellationToken cancellationToken)
    {
        while (true)
        {
            pendingInput ??= console.ReadLineAsync(inputToken);
            if (await Task.WhenAny(pendingInput, receive) == receive)
            {
                return (Ending.Dropped, pendingInput);
            }

            var line = await pendingInput;
            pendingInput = null;
            if (line is null || line == "EXIT")
            {
                return (Ending.WeLeft, null);
            }

            await client.SendLineAsync(line, cancellationToken);
            if (line == "/quit" || line.StartsWith("/quit ", StringComparison.Ordinal))
            {
                return (Ending.WeLeft, null);
            }
        }
    }

    /// <summary>
    /// Sends <c>/nick</c> and waits for the server's answer. Taken: in a terminal, asks for another name (Enter keeps
    /// the one the server gave); from a pipe nobody can answer, so it says why and the run fails. Null: carry on.
    /// </summary>
    private async Task<(Ending? Ending, Task<string?>? PendingInput)> TakeNameAsync(
        ChatClient client, NameRequest names, Task receive, Task<string?>? pendingInput, CancellationToken inputToken, CancellationToken cancellationToken)
    {
        var name = _name!;
        while (true)
        {
            var answer = names.Ask(name);
            await client.SendLineAsync($"/nick {name}", cancellationToken);
            var first = await Task.WhenAny(answer, receive, Task.Delay(settings.NameWait, cancellationToken));
            if (first == receive)
            {
                return (Ending.Dropped, pendingInput);
            }

            if (first != answer)
            {
                cancellationToken.ThrowIfCancellationRequested();
                errors.WriteLine($"error: {settings.Host}:{settings.Port} did not answer /nick {name} within {settings.NameWait.TotalSeconds:0.#} s; is it a Wirekit chat server?");
                return (Ending.NameRefused, pendingInput);
            }

            if (await answer is not { } refusal)
            {
                _name = name;
                return (null, pendingInput);
            }

            if (!console.CanAsk)
            {
                errors.WriteLine($"error: cannot join as {name}: {refusal}; choose another with --name");
                return (Ending.NameRefused, pendingInput);
            }

            console.Print($"{ChatWording.NoticePrefix}type another name, or press Enter to stay {names.Current}");
            pendingInput ??= console.ReadLineAsync(inputToken);
            if (await Task.WhenAny(pendingInput, receive) == receive)
            {
                return (Ending.Dropped, pendingInput);
            }

            var typed = (await pendingInput)?.Trim();
            pendingInput = null;
            if (typed is null)
            {
                return (Ending.WeLeft, null); // end of input: leave
            }

            if (typed.Length == 0)
            {
                _name = null; // keep the server's name, now and on reconnecting
                return (null, null);
            }

            name = typed;
        }
    }

    private async Task ReceiveLoopAsync(ChatClient client, NameRequest names, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var line in client.ReceiveLinesAsync(cancellationToken))
            {
                console.Print(line);
                names.Observe(line);
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

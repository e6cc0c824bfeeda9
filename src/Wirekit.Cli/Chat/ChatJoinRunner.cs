using System.Net.Sockets;
using Wirekit.Chat;
using Wirekit.Cli.Invocation;
using Wirekit.Cli.Terminal;
using Wirekit.Tls;

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

    /// <summary>TLS for every connection, or null for plaintext.</summary>
    public ClientTls? Tls { get; init; }

    /// <summary>The room's password, sent as <c>/pass</c> first on every connection; null for an open room.</summary>
    public string? Password { get; init; }
}

/// <summary>
/// `chat join`: a receive loop printing what arrives, and the input loop sending what is typed, as separate tasks
/// (the seed's client used a receive thread for the same reason). EXIT, /quit or end of input close our side first;
/// a drop by the server ends the run, or with --reconnect starts a new connection after a growing pause, each
/// attempt said on a line of its own. A line is only ever sent on the connection it was typed on: one typed while
/// offline is reported as not sent, never sent later to a room that has moved on.
/// </summary>
internal sealed class ChatJoinRunner(ChatJoinSettings settings, ILineConsole console)
{
    /// <summary>The name to take on each connection: --name, then whatever was typed when it was taken.</summary>
    private string? _name = settings.Name;

    /// <summary>Counts connections; 0 while offline. Each typed line is stamped with it (<see cref="ReadAsync"/>).</summary>
    private int _connection;

    private int _connections;

    /// <summary>A read of the next typed line still running, carried from one connection (or pause) to the next.</summary>
    private Task<TypedLine>? _pendingInput;

    private string Server => new Commands.ServerAddress(settings.Host, settings.Port).ToString();

    /// <summary>A typed line and the connection that was up when Enter was pressed (0: none).</summary>
    private readonly record struct TypedLine(string? Text, int Connection);

    private enum Ending
    {
        /// <summary>We closed: EXIT, /quit, end of input or Ctrl+C.</summary>
        WeLeft,

        /// <summary>The server closed or reset the connection.</summary>
        Dropped,

        /// <summary>A send failed: the connection broke under us.</summary>
        Lost,
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
        var attempt = 0; // reconnection attempts since the last connection was up
        while (true)
        {
            if (attempt > 0)
            {
                console.Print($"{ChatWording.NoticePrefix}reconnecting in {backoff.TotalSeconds:0.#} s (attempt {attempt})");
                var left = !await WhileOfflineAsync(Task.Delay(backoff, cancellationToken), inputToken);
                if (cancellationToken.IsCancellationRequested)
                {
                    return ExitCodes.Interrupted;
                }

                if (left)
                {
                    return ExitCodes.Success;
                }

                backoff = Grow(backoff);
            }

            ChatClient client;
            using (var attemptStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var connecting = ChatClient.ConnectAsync(settings.Host, settings.Port, attemptStop.Token, settings.Tls);
                if (settings.Reconnect && !await WhileOfflineAsync(connecting, inputToken))
                {
                    await attemptStop.CancelAsync();
                    await AbandonAsync(connecting);
                    return ExitCodes.Success;
                }

                try
                {
                    client = await connecting;
                }
                catch (SocketException e)
                {
                    var problem = $"cannot connect to {Server}: {e.Message}";
                    if (!settings.Reconnect)
                    {
                        throw Fail(problem);
                    }

                    console.Print(ChatWording.NoticePrefix + (attempt > 0 ? $"attempt {attempt}: " : string.Empty) + problem);
                    attempt++;
                    continue;
                }
                catch (OperationCanceledException)
                {
                    return ExitCodes.Interrupted;
                }
                catch (ClientTlsException e)
                {
                    throw Fail(Commands.TlsClientOptions.Describe(e)); // a certificate does not get better by reconnecting
                }
            }

            Ending ending;
            await using (client)
            {
                Volatile.Write(ref _connection, ++_connections);
                if (attempt > 0)
                {
                    console.Print($"{ChatWording.NoticePrefix}reconnected to {Server}");
                }

                (attempt, backoff) = (0, settings.FirstBackoff);
                (ending, var input) = await ConverseAsync(client, _pendingInput, inputToken, cancellationToken);
                Volatile.Write(ref _connection, 0);
                _pendingInput = input;
                if (ending == Ending.WeLeft)
                {
                    return cancellationToken.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.Success;
                }
            }

            if (!settings.Reconnect)
            {
                throw Fail(ending == Ending.Lost ? $"lost the connection to {Server}" : $"{Server} closed the connection");
            }

            console.Print(ChatWording.NoticePrefix + (ending == Ending.Lost ? "connection lost" : "disconnected by the server"));
            attempt = 1;
        }
    }

    /// <summary>
    /// Waits for <paramref name="work"/> (a pause, a connection attempt) while offline. A line typed meanwhile is
    /// answered at once as not sent; end of input, EXIT or /quit leave (false).
    /// </summary>
    private async Task<bool> WhileOfflineAsync(Task work, CancellationToken inputToken)
    {
        while (true)
        {
            _pendingInput ??= ReadAsync(inputToken);
            if (await Task.WhenAny(work, _pendingInput) == work || _pendingInput.IsCanceled)
            {
                return true;
            }

            var (line, _) = await _pendingInput;
            _pendingInput = null;
            if (line is null || line == "EXIT" || IsQuit(line))
            {
                return false;
            }

            console.Print($"{ChatWording.NoticePrefix}not sent (offline): {line}");
        }
    }

    private static async Task AbandonAsync(Task<ChatClient> connecting)
    {
        try
        {
            await (await connecting).DisposeAsync();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ClientTlsException)
        {
            // The attempt we gave up on failed, as expected.
        }
    }

    private static bool IsQuit(string line) => line == "/quit" || line.StartsWith("/quit ", StringComparison.Ordinal);

    /// <summary>One connection, and how it ended; when the server dropped us, with any unread input task.</summary>
    private async Task<(Ending Ending, Task<TypedLine>? PendingInput)> ConverseAsync(
        ChatClient client, Task<TypedLine>? pendingInput, CancellationToken inputToken, CancellationToken cancellationToken)
    {
        using var receiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var names = new NameRequest();
        var receive = ReceiveLoopAsync(client, names, receiving.Token);
        var ending = Ending.WeLeft;
        try
        {
            // A room with a password hears nothing before it (docs/chat-protocol.md); then the name, before anything
            // typed is sent: under the wrong name nothing should be said.
            if (settings.Password is { } password)
            {
                await client.SendLineAsync($"/pass {password}", cancellationToken);
            }

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
            // A TLS refusal can break a send before the receive loop has read the alert that says why.
            await Task.WhenAny(receive, Task.Delay(settings.CloseWait, CancellationToken.None));
            ThrowIfTlsRefused(receive);
            return (Ending.Lost, pendingInput);
        }

        if (ending == Ending.Dropped && cancellationToken.IsCancellationRequested)
        {
            ending = Ending.WeLeft; // Ctrl+C also ends the receive loop, which can win the race to look like a drop
        }

        if (ending == Ending.Dropped)
        {
            ThrowIfTlsRefused(receive);
            return (ending, pendingInput);
        }

        // We close first: FIN now, then print what the server still sends until its FIN (bounded).
        await client.FinishSendingAsync();
        await Task.WhenAny(receive, Task.Delay(settings.CloseWait, CancellationToken.None));
        receiving.Cancel();
        await receive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ThrowIfTlsRefused(receive);
        return (ending, null);
    }

    /// <summary>A TLS server refuses our certificate after the handshake, on the first read: say that, not "closed".</summary>
    private void ThrowIfTlsRefused(Task receive)
    {
        if (Commands.TlsClientOptions.FailureOf(receive) is { } tls)
        {
            throw Fail(Commands.TlsClientOptions.Describe(tls));
        }
    }

    /// <summary>Sends what is typed until EXIT, /quit or end of input, or until the server drops us.</summary>
    private async Task<(Ending Ending, Task<TypedLine>? PendingInput)> TalkAsync(
        ChatClient client, Task receive, Task<TypedLine>? pendingInput, CancellationToken inputToken, CancellationToken cancellationToken)
    {
        while (true)
        {
            pendingInput ??= ReadAsync(inputToken);
            if (await Task.WhenAny(pendingInput, receive) == receive)
            {
                return (Ending.Dropped, pendingInput);
            }

            var (line, typedOn) = await pendingInput;
            pendingInput = null;
            if (line is null || line == "EXIT")
            {
                return (Ending.WeLeft, null);
            }

            if (typedOn != Volatile.Read(ref _connection))
            {
                console.Print($"{ChatWording.NoticePrefix}not sent (offline): {line}");
                continue;
            }

            await client.SendLineAsync(line, cancellationToken);
            if (IsQuit(line))
            {
                return (Ending.WeLeft, null);
            }
        }
    }

    /// <summary>
    /// Sends <c>/nick</c> and waits for the server's answer. Taken: in a terminal, asks for another name (Enter keeps
    /// the one the server gave); from a pipe nobody can answer, so it says why and the run fails. Null: carry on.
    /// </summary>
    private async Task<(Ending? Ending, Task<TypedLine>? PendingInput)> TakeNameAsync(
        ChatClient client, NameRequest names, Task receive, Task<TypedLine>? pendingInput, CancellationToken inputToken, CancellationToken cancellationToken)
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
                throw Fail($"{Server} did not answer /nick {name} within {settings.NameWait.TotalSeconds:0.#} s; is it a Wirekit chat server?");
            }

            if (await answer is not { } refusal)
            {
                _name = name;
                return (null, pendingInput);
            }

            if (!console.CanAsk)
            {
                throw Fail($"cannot join as {name}: {refusal}; choose another with --name");
            }

            console.Print($"{ChatWording.NoticePrefix}type another name, or press Enter to stay {names.Current}");
            pendingInput ??= ReadAsync(inputToken);
            if (await Task.WhenAny(pendingInput, receive) == receive)
            {
                return (Ending.Dropped, pendingInput);
            }

            var typed = (await pendingInput).Text?.Trim();
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
                console.Print(Shown(line));
                names.Observe(line);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A reset, or our own cancellation: either way the conversation is over.
        }
    }

    /// <summary>
    /// The line as the person sees it. With a name asked for, the server's welcome still calls us by the name it gave
    /// (`you are user1`) until our /nick lands a moment later; the join notice that follows says the real name, so
    /// the welcome leaves the stale one out.
    /// </summary>
    private string Shown(string line)
        => _name is not null && ChatWording.TryReadWelcome(line, out _) ? $"{ChatWording.NoticePrefix}welcome; /help lists the commands" : line;

    /// <summary>The next typed line, stamped with the connection that was up when it was typed.</summary>
    private async Task<TypedLine> ReadAsync(CancellationToken cancellationToken)
    {
        var line = await console.ReadLineAsync(cancellationToken);
        return new TypedLine(line, Volatile.Read(ref _connection));
    }

    /// <summary>The run's failure for the runner to report (one `error:` line, or a JSON error); the prompt line is ended first so the error starts a line of its own.</summary>
    private CommandFailure Fail(string message)
    {
        console.Finish();
        return new CommandFailure(message);
    }

    private TimeSpan Grow(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.MaxBackoff.Ticks));
}

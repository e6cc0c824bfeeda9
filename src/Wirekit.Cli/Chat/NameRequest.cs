using Wirekit.Chat;

namespace Wirekit.Cli.Chat;

/// <summary>
/// Follows, from the lines the server sends, what this client is called, and answers one <c>/nick</c> at a time:
/// taken at join time (<c>-!- alice joined</c>), taken by a rename (the room's join grace passed first), or refused
/// (the <c>! error:</c> that answers it). Fed by the receive loop; asked by the input side.
/// </summary>
internal sealed class NameRequest
{
    private readonly Lock _lock = new();
    private string? _current;
    private bool _announced;
    private string? _wanted;
    private TaskCompletionSource<string?>? _answer;

    /// <summary>What the server calls this client, once its welcome has arrived.</summary>
    public string? Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>
    /// Starts waiting for the answer to <c>/nick <paramref name="name"/></c>, to be sent right after: null when the
    /// name is ours, else the server's reason.
    /// </summary>
    public Task<string?> Ask(string name)
    {
        lock (_lock)
        {
            _wanted = name;
            _answer = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _answer.Task;
        }
    }

    public void Observe(string line)
    {
        lock (_lock)
        {
            if (_current is null)
            {
                if (ChatWording.TryReadWelcome(line, out var given))
                {
                    _current = given;
                }

                return;
            }

            if (_wanted is not null && !_announced && line == ChatWording.Joined(_wanted))
            {
                Settle(null, _wanted);
            }
            else if (line == ChatWording.Joined(_current))
            {
                _announced = true; // under the default name: from now on a name comes by a rename
            }
            else if (_wanted is not null && line == ChatWording.Renamed(_current, _wanted))
            {
                Settle(null, _wanted);
            }
            else if (_wanted is not null && line.StartsWith(ChatWording.ErrorPrefix, StringComparison.Ordinal))
            {
                Settle(line[ChatWording.ErrorPrefix.Length..], _current);
            }
        }
    }

    private void Settle(string? refusal, string name)
    {
        if (refusal is null)
        {
            _announced = true;
        }

        _current = name;
        _wanted = null;
        _answer?.TrySetResult(refusal);
    }
}

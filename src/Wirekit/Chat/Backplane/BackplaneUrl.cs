using System.Globalization;

namespace Wirekit.Chat.Backplane;

internal enum BackplaneSystem
{
    Redis,
    Nats,
}

/// <summary>
/// A backplane URL read once: <c>redis://[:password@]host[:port]</c>, <c>rediss://</c>, <c>nats://[user:password@]host[:port]</c>,
/// <c>tls://</c>, each with an optional <c>?timeout=SECONDS</c>. A URL that cannot be read throws a
/// <see cref="FormatException"/> that says why, in words a person can act on.
/// </summary>
internal sealed record BackplaneUrl(BackplaneSystem System, string Host, int Port, bool Tls, string? User, string? Password, TimeSpan ConnectTimeout)
{
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The URL as the banner and logs show it: never the password.</summary>
    public string Display => $"{Scheme}://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";

    private string Scheme => (System, Tls) switch
    {
        (BackplaneSystem.Redis, false) => "redis",
        (BackplaneSystem.Redis, true) => "rediss",
        (BackplaneSystem.Nats, false) => "nats",
        _ => "tls",
    };

    public static BackplaneUrl Parse(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new FormatException($"backplane '{text}' is not a URL such as redis://127.0.0.1:6379 or nats://127.0.0.1:4222");
        }

        var (system, tls, defaultPort) = uri.Scheme switch
        {
            "redis" => (BackplaneSystem.Redis, false, 6379),
            "rediss" => (BackplaneSystem.Redis, true, 6379),
            "nats" => (BackplaneSystem.Nats, false, 4222),
            "tls" => (BackplaneSystem.Nats, true, 4222),
            _ => throw new FormatException($"backplane scheme '{uri.Scheme}:' is not one of redis:, rediss:, nats: or tls:"),
        };
        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            user = user.Length == 0 ? null : user;
        }

        return new BackplaneUrl(system, uri.IdnHost.Trim('[', ']'), uri.IsDefaultPort || uri.Port < 0 ? defaultPort : uri.Port, tls, user, password, ReadTimeout(uri.Query));
    }

    private static TimeSpan ReadTimeout(string query)
    {
        var timeout = DefaultConnectTimeout;
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.IndexOf('=', StringComparison.Ordinal) is var at and >= 0 ? (pair[..at], pair[(at + 1)..]) : (pair, "");
            if (key != "timeout")
            {
                throw new FormatException($"backplane URL option '{key}' is unknown; the one option is timeout=SECONDS");
            }

            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is <= 0 or > 300)
            {
                throw new FormatException($"backplane timeout '{value}' must be seconds between 0 and 300, such as timeout=2.5");
            }

            timeout = TimeSpan.FromSeconds(seconds);
        }

        return timeout;
    }
}

namespace Wirekit.Chat.Backplane;

/// <summary>The one place a URL picks its transport.</summary>
internal static class BackplaneTransports
{
    public static IBackplaneTransport For(ChatBackplaneOptions options)
    {
        var url = BackplaneUrl.Parse(options.Url);
        return url.System == BackplaneSystem.Redis ? new RedisTransport(url, options.Room) : new NatsTransport(url, options.Room);
    }
}

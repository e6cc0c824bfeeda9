namespace Wirekit;

/// <summary>
/// The ports Wirekit's services use unless told otherwise, in one place: the seed's echo port, 25000, and its
/// neighbours. Every server command, client and default reads them from here.
/// </summary>
public static class DefaultPorts
{
    /// <summary>The echo server (TCP), the seed's.</summary>
    public const int Echo = 25000;

    /// <summary>The chat server (TCP), next to echo.</summary>
    public const int Chat = 25001;

    /// <summary>The file server (TCP), next to chat.</summary>
    public const int File = 25002;

    /// <summary>UDP send, listen and chat: the seed's UDP examples use the echo port.</summary>
    public const int Udp = 25000;

    /// <summary>Where servers started with <c>--announce</c> broadcast their presence (UDP), for <c>wirekit discover</c>.</summary>
    public const int Discovery = 25099;
}

namespace Wirekit.Udp;

/// <summary>What a Wirekit server says about itself in each discovery datagram (see docs/discovery.md).</summary>
/// <param name="Service">The service offered: "echo", "chat", "file"... 1-32 characters of a-z, 0-9 and '-'.</param>
/// <param name="Version">The server's version, 1-32 printable characters.</param>
/// <param name="Port">The TCP or UDP port clients connect to.</param>
/// <param name="Name">A human-readable name for this instance, 1-64 printable characters (the host name by default).</param>
public sealed record AnnouncementInfo(string Service, string Version, int Port, string Name);

using System.Net;

namespace Wirekit.Diagnostics;

/// <summary>One row of the kernel's socket tables (/proc/net/tcp, tcp6, udp, udp6), with its owner when known.</summary>
public sealed record SocketEntry(
    string Protocol,
    IPEndPoint Local,
    IPEndPoint Remote,
    string State,
    long Inode,
    int Uid)
{
    /// <summary>Owning process, or null when it exited or belongs to a process we may not inspect.</summary>
    public int? Pid { get; init; }

    public string? ProcessName { get; init; }

    /// <summary>A TCP listener, or a UDP socket bound and not connected (what `ss -l` lists).</summary>
    public bool IsListening => State is "LISTEN" or "UNCONN";
}

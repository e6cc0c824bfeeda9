using System.CommandLine;
using System.Net;
using Wirekit.Diagnostics;

namespace Wirekit.Cli.Commands;

/// <summary>
/// `wirekit udp listen|send|chat|broadcast`: the seed's UDP and broadcast programs (sendto/recvfrom, SO_BROADCAST),
/// with datagram limits, truncation and ICMP port-unreachable reported instead of thrown.
/// One partial file per verb.
/// </summary>
internal static partial class UdpCommand
{
    public const int DefaultPort = DefaultPorts.Udp;

    public static Command Create()
    {
        var command = new Command("udp",
            "Send and receive UDP datagrams: listen, send, a two-way chat and subnet broadcast (the seed's UdpSample, " +
            "BroadcastSender and BroadcastReceiver). UDP has no connection and no delivery guarantee, so loss, " +
            "truncation and 'port unreachable' are reported as they happen.");
        command.Subcommands.Add(CreateListen());
        command.Subcommands.Add(CreateSend());
        command.Subcommands.Add(CreateChat());
        command.Subcommands.Add(CreateBroadcast());
        return command;
    }

    private static Option<string> BindOption(string defaultAddress, string why) => new("--bind")
    {
        Description = why,
        DefaultValueFactory = _ => defaultAddress,
    };

    private static bool TryParseAddress(string text, TextWriter error, out IPAddress address)
    {
        if (IPAddress.TryParse(text, out address!))
        {
            return true;
        }

        error.WriteLine($"error: '{text}' is not an IP address");
        return false;
    }

    private static async Task<IPEndPoint?> ResolveAsync(string text, int defaultPort, TextWriter error, CancellationToken ct)
    {
        if (!HostPort.TryParse(text, out var parsed, out var problem))
        {
            error.WriteLine($"error: {problem}");
            return null;
        }

        try
        {
            return await parsed.Value.ResolveAsync(defaultPort, ct);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            error.WriteLine($"error: cannot resolve '{parsed.Value.Host}': {e.SocketErrorCode}");
            return null;
        }
    }

    private static CancellationTokenSource LinkedTimeout(double seconds, CancellationToken ct)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (seconds > 0)
        {
            source.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        return source;
    }
}

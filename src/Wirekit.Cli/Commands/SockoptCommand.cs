using System.CommandLine;
using System.Net.Sockets;
using Wirekit.Cli.Invocation;
using Wirekit.Diagnostics;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit sockopt`: what a fresh TCP and UDP socket start with on this machine.</summary>
internal static class SockoptCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("sockopt",
            "Print the options a fresh TCP and UDP socket start with on this machine: buffer sizes (SO_SNDBUF, " +
            "SO_RCVBUF), Nagle (TCP_NODELAY), SO_REUSEADDR and keepalive timing. Useful before tuning: Linux reports " +
            "buffer sizes doubled, because it counts its bookkeeping too.")
        {
            json,
        };
        command.SetAction(parse =>
        {
            Run(Console.Out, parse.GetValue(json));
            return 0;
        });
        return command;
    }

    internal static void Run(TextWriter output, bool asJson)
    {
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var reports = new[] { SocketOptionReport.Read(tcp), SocketOptionReport.Read(udp) };
        if (asJson)
        {
            output.WriteLine(CliJson.Serialize(reports));
            return;
        }

        output.WriteLine($"{"OPTION",-22} {"TCP",12} {"UDP",12}");
        Row(output, "SO_SNDBUF (bytes)", reports, r => r.SendBufferSize.ToString());
        Row(output, "SO_RCVBUF (bytes)", reports, r => r.ReceiveBufferSize.ToString());
        Row(output, "TCP_NODELAY", reports, r => r.NoDelay?.ToString() ?? "-");
        Row(output, "SO_REUSEADDR", reports, r => r.ReuseAddress.ToString());
        Row(output, "SO_KEEPALIVE", reports, r => r.KeepAlive.ToString());
        Row(output, "TCP_KEEPIDLE (s)", reports, r => r.KeepAliveIdleSeconds?.ToString() ?? "-");
        Row(output, "TCP_KEEPINTVL (s)", reports, r => r.KeepAliveIntervalSeconds?.ToString() ?? "-");
        Row(output, "TCP_KEEPCNT", reports, r => r.KeepAliveProbeCount?.ToString() ?? "-");
    }

    private static void Row(TextWriter output, string name, SocketOptionReport[] reports, Func<SocketOptionReport, string> value)
        => output.WriteLine($"{name,-22} {value(reports[0]),12} {value(reports[1]),12}");
}

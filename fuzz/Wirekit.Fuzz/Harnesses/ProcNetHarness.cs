using System.Net;
using System.Net.Sockets;
using System.Text;
using Wirekit.Diagnostics;

namespace Wirekit.Fuzz.Harnesses;

/// <summary>
/// <see cref="ProcNetParser.TryParseLine"/> on every line of a /proc/net table read as <see cref="SocketTable"/> reads it
/// (a text reader over reads of the chunks' sizes). The mode picks tcp, tcp6, udp or udp6. An accepted line must give
/// back the addresses its fields print (formatted the kernel's way again, they are the fields) and a known state.
/// </summary>
public sealed class ProcNetHarness : IHarness
{
    private static readonly string[] Protocols = ["tcp", "tcp6", "udp", "udp6"];

    public string Name => "proc-net";

    public void Run(FuzzInput input)
    {
        var protocol = Protocols[input.Mode % Protocols.Length];
        using var reader = new StreamReader(new ChunkedStream(input.Chunks()), Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (!ProcNetParser.TryParseLine(protocol, line, out var entry))
            {
                Invariant.Holds(entry is null, "a refused line hands back nothing");
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Invariant.Equal(protocol, entry!.Protocol, "protocol");
            Invariant.Equal(fields[1].ToUpperInvariant(), KernelText(entry.Local), "local address re-encoded");
            Invariant.Equal(fields[2].ToUpperInvariant(), KernelText(entry.Remote), "remote address re-encoded");
            Invariant.Holds(entry.State.Length is > 0 and <= 12, "a state is a short name");
        }
    }

    /// <summary>The endpoint printed as the kernel prints it: each 32-bit word of the address in host order, then the port.</summary>
    private static string KernelText(IPEndPoint endPoint)
    {
        var bytes = endPoint.Address.GetAddressBytes();
        var text = new StringBuilder();
        for (var word = 0; word < bytes.Length / 4; word++)
        {
            var value = BitConverter.ToUInt32(bytes, word * 4);
            text.Append(value.ToString("X8"));
        }

        Invariant.Holds(endPoint.Address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6, "an IP address");
        return $"{text}:{endPoint.Port:X4}";
    }

    public IEnumerable<(string Name, byte[] Input)> Seeds()
    {
        // Lines as the ports tests and this machine's kernel print them.
        const string header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
        const string listen = "   0: 0100007F:61A8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 123456 1 0000000000000000 100 0 0 10 0\n";
        const string established = "   1: 0100007F:9C40 0100007F:61A8 01 00000000:00000000 00:00000000 00000000     0        0 654321 1 0000000000000000 20 4 30 10 -1\n";
        const string v6 = "   0: 0000000000000000FFFF00000100007F:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0\n";
        const string udp = "  123: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 4242 2 0000000000000000 0\n";
        yield return ("tcp-table", FuzzInput.Format(0, [], Encoding.ASCII.GetBytes(header + listen + established)));
        yield return ("tcp-table-split", FuzzInput.Format(0, [17, 1, 64], Encoding.ASCII.GetBytes(header + listen + established)));
        yield return ("tcp6-table", FuzzInput.Format(1, [], Encoding.ASCII.GetBytes(header + v6)));
        yield return ("udp-table", FuzzInput.Format(2, [], Encoding.ASCII.GetBytes(header + udp)));
        yield return ("udp6-crlf", FuzzInput.Format(3, [2], Encoding.ASCII.GetBytes((header + v6).Replace("\n", "\r\n"))));
    }
}

using System.Net;
using System.Net.Sockets;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Wireshark;

/// <summary>
/// dumpcap recording loopback traffic matching a capture filter into a temporary pcapng file, started and stopped by
/// its own PID. Marker datagrams bound the test's traffic: the capture is handed over once a marker sent after
/// dumpcap said "Capturing on" is in the file (the line comes before the capture is live: a connection made right
/// after it lost its first packets), and stopped once a marker sent after the traffic is there (the kernel hands
/// captured packets over in blocks, and a capture stopped at once lost its last ones).
/// </summary>
internal sealed class LoopbackCapture : IAsyncDisposable
{
    private const int SigInt = 2;
    private readonly ChildProcess _dumpcap;
    private readonly string _folder;
    private readonly Socket _markerSink;

    private LoopbackCapture(ChildProcess dumpcap, string folder, Socket markerSink)
    {
        _dumpcap = dumpcap;
        _folder = folder;
        _markerSink = markerSink;
    }

    public string File => Path.Join(_folder, "capture.pcapng");

    /// <summary>Skips the calling test, with the reason, unless tshark and dumpcap are installed and may capture.</summary>
    public static void SkipUnlessAvailable()
    {
        var reason = Unavailable();
        Skip.If(reason is not null, reason);
    }

    private static string? Unavailable()
    {
        if (ExternalServer.Find("tshark") is null || ExternalServer.Find("dumpcap") is null)
        {
            return "tshark/dumpcap not installed (Debian package tshark; test.sh installs it as root)";
        }

        // Without root dumpcap needs the capture capabilities Debian grants to the wireshark group.
        return Environment.IsPrivilegedProcess || InWiresharkGroup() ? null : "capturing needs root or membership of the wireshark group";
    }

    public static async Task<LoopbackCapture> StartAsync(string filter)
    {
        var folder = Directory.CreateTempSubdirectory("wirekit-capture-").FullName;
        // Bound, so the marker is received rather than answered by an ICMP port-unreachable.
        var markerSink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        markerSink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var markerPort = ((IPEndPoint)markerSink.LocalEndPoint!).Port;
        var dumpcap = ChildProcess.Start([ExternalServer.Find("dumpcap")!, "-i", "lo", "-f", $"({filter}) or (udp dst port {markerPort})", "-w", Path.Join(folder, "capture.pcapng")]);
        var capture = new LoopbackCapture(dumpcap, folder, markerSink);
        try
        {
            await Deadline.UntilAsync(() => dumpcap.HasExited || dumpcap.Output.Contains("Capturing on"), "dumpcap to report it is capturing");
            if (dumpcap.HasExited)
            {
                throw new InvalidOperationException($"dumpcap exited with {dumpcap.ExitCode}: {dumpcap.Output}");
            }

            var live = Guid.NewGuid().ToByteArray();
            await Deadline.UntilAsync(
                () =>
                {
                    capture.SendMarker(live);
                    return dumpcap.HasExited || capture.FileContains(live);
                },
                "dumpcap to capture a first packet");
        }
        catch
        {
            await capture.DisposeAsync();
            throw;
        }

        return capture;
    }

    /// <summary>Stops dumpcap the way Ctrl+C does (it writes out what it holds and closes the file), and returns the file.</summary>
    public async Task<string> StopAsync()
    {
        var marker = Guid.NewGuid().ToByteArray();
        SendMarker(marker);
        // Packets reach the file in the order they crossed lo: once the marker is there, everything before it is.
        await Deadline.UntilAsync(() => _dumpcap.HasExited || FileContains(marker), "dumpcap to write the packets captured");
        _dumpcap.SendSignal(SigInt);
        var exit = await _dumpcap.WaitForExitAsync(Deadline.Default);
        return exit == 0 ? File : throw new InvalidOperationException($"dumpcap exited with {exit}: {_dumpcap.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        await _dumpcap.DisposeAsync();
        _markerSink.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private void SendMarker(byte[] marker)
    {
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.SendTo(marker, _markerSink.LocalEndPoint!);
    }

    private bool FileContains(byte[] marker)
    {
        try
        {
            using var stream = new FileStream(File, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.GetBuffer().AsSpan(0, (int)copy.Length).IndexOf(marker) >= 0;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    private static bool InWiresharkGroup()
    {
        var groups = System.IO.File.Exists("/etc/group") ? System.IO.File.ReadAllLines("/etc/group") : [];
        return groups.Select(line => line.Split(':'))
            .Any(parts => parts.Length == 4 && parts[0] == "wireshark" && parts[3].Split(',').Contains(Environment.UserName));
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Wirekit.Tests.Chat;

/// <summary>
/// Two network namespaces joined by a veth pair, private to one test: a server host and a client host whose link
/// can be cut (<c>ip link set ... down</c>) without either side seeing a FIN or RST, the seed's pulled-cable case.
/// Written before the shared Infrastructure/NetworkNamespacePair existed; folding it into that fixture is left to do.
/// </summary>
internal sealed class ChatNetnsPair : IDisposable
{
    private const int CloneNewNet = 0x40000000;

    private ChatNetnsPair(string tag, int subnet)
    {
        ServerNamespace = $"wkc-s-{tag}";
        ClientNamespace = $"wkc-c-{tag}";
        ServerVeth = $"wkcs{tag}";
        ClientVeth = $"wkcc{tag}";
        ServerAddress = IPAddress.Parse($"10.231.{subnet}.1");
        ClientAddress = IPAddress.Parse($"10.231.{subnet}.2");
    }

    public string ServerNamespace { get; }

    public string ClientNamespace { get; }

    public string ServerVeth { get; }

    public string ClientVeth { get; }

    public IPAddress ServerAddress { get; }

    public IPAddress ClientAddress { get; }

    /// <summary>Builds the pair, or returns null with the reason it cannot be built here (not root, no `ip netns`).</summary>
    public static ChatNetnsPair? TryCreate(out string whyNot)
    {
        whyNot = string.Empty;
        if (!OperatingSystem.IsLinux())
        {
            whyNot = "network namespaces need Linux";
            return null;
        }

        if (!IsRoot())
        {
            whyNot = "network namespaces need root (CI runs as root)";
            return null;
        }

        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var pair = new ChatNetnsPair(tag, RandomNumberGenerator.GetInt32(1, 255));
        try
        {
            pair.Ip($"netns add {pair.ServerNamespace}");
            pair.Ip($"netns add {pair.ClientNamespace}");
            pair.Ip($"link add {pair.ServerVeth} type veth peer name {pair.ClientVeth}");
            pair.Ip($"link set {pair.ServerVeth} netns {pair.ServerNamespace}");
            pair.Ip($"link set {pair.ClientVeth} netns {pair.ClientNamespace}");
            pair.Ip($"-n {pair.ServerNamespace} addr add {pair.ServerAddress}/24 dev {pair.ServerVeth}");
            pair.Ip($"-n {pair.ClientNamespace} addr add {pair.ClientAddress}/24 dev {pair.ClientVeth}");
            foreach (var (ns, veth) in new[] { (pair.ServerNamespace, pair.ServerVeth), (pair.ClientNamespace, pair.ClientVeth) })
            {
                pair.Ip($"-n {ns} link set lo up");
                pair.Ip($"-n {ns} link set {veth} up");
            }

            return pair;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            pair.Dispose();
            whyNot = $"cannot build network namespaces here: {e.Message}";
            return null;
        }
    }

    /// <summary>The pulled cable: the client's end goes down, so nothing more crosses and nobody says goodbye.</summary>
    public void CutClientLink() => Ip($"-n {ClientNamespace} link set {ClientVeth} down");

    /// <summary>
    /// A TCP socket created inside <paramref name="netns"/>. A socket belongs to the namespace of the thread that
    /// created it, and setns(2) switches only the calling thread, so a short-lived thread of our own does it.
    /// </summary>
    public static Socket CreateSocketIn(string netns, AddressFamily family)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{netns}");
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns({netns}) failed: errno {Marshal.GetLastPInvokeError()}");
                }

                socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw new InvalidOperationException("could not create a socket in the namespace", failure);
    }

    public void Dispose()
    {
        // Deleting a namespace deletes the veth end inside it, and with it the peer end.
        foreach (var ns in new[] { ServerNamespace, ClientNamespace })
        {
            try
            {
                Ip($"netns del {ns}");
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private void Ip(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("ip", arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var errors = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(10_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {arguments}: {errors.Trim()}");
        }
    }

    private static bool IsRoot()
        => File.ReadLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries) is [_, "0", ..];

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which this project keeps off; one call to setns is not hot.
    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);
#pragma warning restore SYSLIB1054
}

using System.Runtime.InteropServices;

namespace Wirekit.Tests.Infrastructure;

/// <summary>
/// Two Linux network namespaces joined by a veth pair on a private subnet: a tiny LAN of our own where broadcasts,
/// link failures and packet loss can be tested without a single packet reaching the machine's real network.
///
/// Layout (names are unique per instance, so fixtures in parallel never collide):
///   namespace A: veth A = 10.213.0.1/24, lo up        namespace B: veth B = 10.213.0.2/24, lo up
///   broadcast address 10.213.0.255 (each namespace is isolated, so every pair may reuse the subnet);
///   each namespace's default route leaves through its veth, so 255.255.255.255 works as on a real host.
///
/// Use it as an xunit fixture (IClassFixture&lt;NetworkNamespacePair&gt;) or create one per test with
/// <see cref="CreateAsync"/>; dispose always deletes both namespaces (and with them the veth pair and any iptables rules).
///   Skip.If(pair.Unavailable is not null, pair.Unavailable);           // not root, no `ip`, or `ip netns add` refused
///   var socket = pair.RunIn(pair.NamespaceA, () => new Socket(...));   // a socket that lives in namespace A
///   await pair.ExecAsync(pair.NamespaceB, "dotnet", cliDll, "discover"); // a process inside namespace B
///   await pair.SetLinkAsync(pair.NamespaceA, up: false);               // cut the cable (dead-peer tests)
///   await pair.AddLossAsync(pair.NamespaceB, 0.05);                    // drop 5% of packets arriving in B
///   await pair.ClearLossAsync(pair.NamespaceB);
///
/// How RunIn works: a socket's network namespace is fixed when it is created, and setns(2) switches the calling
/// thread only. So RunIn runs the factory on a fresh dedicated thread that first joins the namespace; whatever
/// sockets the factory creates stay in that namespace for life, and may then be used from any thread or async code.
/// Only socket creation (and bind/connect done synchronously) must happen inside the factory.
/// </summary>
public sealed class NetworkNamespacePair : IAsyncLifetime, IAsyncDisposable
{
    public const string SubnetPrefix = "10.213.0";
    public const int PrefixLength = 24;
    private const int CloneNewNet = 0x40000000;

    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private bool _created;

    public string NamespaceA => $"wk-{_id}-a";
    public string NamespaceB => $"wk-{_id}-b";

    // Interface names are limited to 15 characters.
    public string VethA => $"wk{_id}a";
    public string VethB => $"wk{_id}b";

    public string AddressA => $"{SubnetPrefix}.1";
    public string AddressB => $"{SubnetPrefix}.2";
    public string BroadcastAddress => $"{SubnetPrefix}.255";

    /// <summary>Why the pair could not be made (a reason for Skip.If), or null when it is ready.</summary>
    public string? Unavailable { get; private set; }

    public static async Task<NetworkNamespacePair> CreateAsync()
    {
        var pair = new NetworkNamespacePair();
        await pair.InitializeAsync();
        return pair;
    }

    public async Task InitializeAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            Unavailable = "network namespaces are Linux-only";
            return;
        }

        if (Environment.UserName != "root")
        {
            Unavailable = "creating network namespaces needs root";
            return;
        }

        if (ExternalServer.Find("ip") is null)
        {
            Unavailable = "the `ip` command is missing (Debian package iproute2)";
            return;
        }

        var first = await RunAsync("ip", "netns", "add", NamespaceA);
        if (first.Exit != 0)
        {
            Unavailable = $"`ip netns add` failed: {first.Error.Trim()}";
            return;
        }

        _created = true;
        string[][] steps =
        [
            ["ip", "netns", "add", NamespaceB],
            ["ip", "link", "add", VethA, "type", "veth", "peer", "name", VethB],
            ["ip", "link", "set", VethA, "netns", NamespaceA],
            ["ip", "link", "set", VethB, "netns", NamespaceB],
            ["ip", "-n", NamespaceA, "addr", "add", $"{AddressA}/{PrefixLength}", "broadcast", BroadcastAddress, "dev", VethA],
            ["ip", "-n", NamespaceB, "addr", "add", $"{AddressB}/{PrefixLength}", "broadcast", BroadcastAddress, "dev", VethB],
            ["ip", "-n", NamespaceA, "link", "set", "lo", "up"],
            ["ip", "-n", NamespaceB, "link", "set", "lo", "up"],
            ["ip", "-n", NamespaceA, "link", "set", VethA, "up"],
            ["ip", "-n", NamespaceB, "link", "set", VethB, "up"],
            // A default route out of the veth, as a real host has one: without it the kernel refuses the limited
            // broadcast 255.255.255.255 (ENETUNREACH). Whatever takes it ends in the peer namespace, which forwards nothing.
            ["ip", "-n", NamespaceA, "route", "add", "default", "dev", VethA],
            ["ip", "-n", NamespaceB, "route", "add", "default", "dev", VethB],
        ];
        foreach (var step in steps)
        {
            var result = await RunAsync(step);
            if (result.Exit != 0)
            {
                Unavailable = $"`{string.Join(' ', step)}` failed: {result.Error.Trim()}";
                return;
            }
        }
    }

    /// <summary>Runs <paramref name="factory"/> on a dedicated thread inside <paramref name="namespaceName"/> (see the class comment).</summary>
    public T RunIn<T>(string namespaceName, Func<T> factory)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{namespaceName}");
                if (setns((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns({namespaceName}) failed: errno {Marshal.GetLastPInvokeError()}");
                }

                result = factory();
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = $"netns {namespaceName}" };
        thread.Start();
        if (!thread.Join(Deadline.Default))
        {
            throw new TimeoutException($"the factory inside {namespaceName} did not return within {Deadline.Default}");
        }

        return failure is null ? result! : throw new InvalidOperationException($"inside {namespaceName}: {failure.Message}", failure);
    }

    /// <summary>Runs a command inside a namespace (`ip netns exec`) and returns its exit code and output.</summary>
    public Task<(int Exit, string Output, string Error)> ExecAsync(string namespaceName, params string[] command)
        => ExecAsync(namespaceName, Deadline.Default, command);

    public Task<(int Exit, string Output, string Error)> ExecAsync(string namespaceName, TimeSpan limit, params string[] command)
        => RunAsync(limit, ["ip", "netns", "exec", namespaceName, .. command]);

    /// <summary>Takes a namespace's veth link down (peers see a dead link, no FIN or RST) or back up.</summary>
    public Task SetLinkAsync(string namespaceName, bool up)
        => MustAsync("ip", "-n", namespaceName, "link", "set", namespaceName == NamespaceA ? VethA : VethB, up ? "up" : "down");

    /// <summary>Drops each packet arriving in the namespace with this probability (iptables statistic match).</summary>
    public Task AddLossAsync(string namespaceName, double probability)
        => MustAsync("ip", "netns", "exec", namespaceName, "iptables", "-A", "INPUT", "-m", "statistic", "--mode", "random",
            "--probability", probability.ToString(System.Globalization.CultureInfo.InvariantCulture), "-j", "DROP");

    /// <summary>Removes every loss rule added in the namespace.</summary>
    public Task ClearLossAsync(string namespaceName) => MustAsync("ip", "netns", "exec", namespaceName, "iptables", "-F", "INPUT");

    public async Task DisposeAsync()
    {
        if (!_created)
        {
            return;
        }

        _created = false;
        // Deleting a namespace destroys its end of the veth pair, which destroys the other end too.
        await RunAsync("ip", "netns", "del", NamespaceA);
        await RunAsync("ip", "netns", "del", NamespaceB);
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    private async Task MustAsync(params string[] command)
    {
        var result = await RunAsync(command);
        if (result.Exit != 0)
        {
            throw new InvalidOperationException($"`{string.Join(' ', command)}` failed ({result.Exit}): {result.Error.Trim()}");
        }
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(params string[] command) => RunAsync(Deadline.Default, command);

    private static Task<(int Exit, string Output, string Error)> RunAsync(TimeSpan limit, string[] command)
        => ToolProcess.RunUncheckedAsync(limit, command);

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);
}

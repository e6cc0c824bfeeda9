using System.Net;

namespace Wirekit.Tests.Infrastructure;

/// <summary>
/// Several hosts on one switched LAN, each a Linux network namespace, for tests where "another machine" must be real
/// routing and a cut link a real cut: processes run inside a host with <see cref="Command"/>, and this process reaches
/// every host's address through a leg of its own on the switch. <see cref="NetworkNamespacePair"/> is the two-host
/// cable; this is the switch, because three hosts on veth pairs alone would need a router between them.
///
/// Layout (names unique per instance; the third octet is drawn per instance, since the test's own leg puts the
/// subnet in this machine's routing table, where two instances must not overlap):
///   namespace wk-ID-sw: bridge wkIDbr, one port per host and one for the test's leg, no address, no iptables rules
///   namespace wk-ID-hK: veth wkIDhK = 10.214.N.(K+1)/24, lo up (K = 0, 1, ...)
///   this namespace:     veth wkIDt  = 10.214.N.254/24
/// Dispose deletes every namespace, and with them every veth (the test's leg included).
/// </summary>
public sealed class NetworkNamespaceLan : IAsyncDisposable
{
    private const int PrefixLength = 24;
    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private readonly string _subnet = $"10.214.{Random.Shared.Next(1, 250)}";
    private readonly List<string> _created = [];

    private NetworkNamespaceLan(int hosts) => Hosts = Enumerable.Range(0, hosts).Select(k => $"wk-{_id}-h{k}").ToArray();

    /// <summary>Each host's namespace name, host 0 first.</summary>
    public IReadOnlyList<string> Hosts { get; }

    /// <summary>Why the LAN could not be made (a reason for Skip.If), or null when it is ready.</summary>
    public string? Unavailable { get; private set; }

    private string Switch => $"wk-{_id}-sw";

    public static async Task<NetworkNamespaceLan> CreateAsync(int hosts)
    {
        var lan = new NetworkNamespaceLan(hosts);
        lan.Unavailable = !OperatingSystem.IsLinux() ? "network namespaces are Linux-only"
            : Environment.UserName != "root" ? "creating network namespaces needs root"
            : ExternalServer.Find("ip") is null ? "the `ip` command is missing (Debian package iproute2)"
            : await lan.BuildAsync();
        return lan;
    }

    public IPAddress AddressOf(int host) => IPAddress.Parse($"{_subnet}.{host + 1}");

    /// <summary>The command line that runs <paramref name="command"/> inside host <paramref name="host"/> (for a child process).</summary>
    public string[] Command(int host, params string[] command) => ["ip", "netns", "exec", Hosts[host], .. command];

    /// <summary>Takes the host's only link down (its peers see silence: no FIN, no RST) or back up.</summary>
    public async Task SetLinkAsync(int host, bool up)
    {
        string[] command = ["ip", "-n", Hosts[host], "link", "set", HostVeth(host), up ? "up" : "down"];
        if (await RunAsync(command) is { } failure)
        {
            throw new InvalidOperationException(failure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in Enumerable.Reverse(_created))
        {
            await ToolProcess.RunUncheckedAsync("ip", "netns", "del", name);
        }

        _created.Clear();
    }

    private string HostVeth(int host) => $"wk{_id}h{host}";

    /// <summary>Makes the namespaces and links; returns what failed, or null.</summary>
    private async Task<string?> BuildAsync()
    {
        var bridge = $"wk{_id}br";
        List<string[]> steps =
        [
            ["ip", "netns", "add", Switch],
            ["ip", "-n", Switch, "link", "add", bridge, "type", "bridge"],
            ["ip", "-n", Switch, "link", "set", bridge, "up"],
        ];
        for (var host = 0; host < Hosts.Count; host++)
        {
            steps.Add(["ip", "netns", "add", Hosts[host]]);
            steps.AddRange(SwitchPort(HostVeth(host), $"wk{_id}s{host}", Hosts[host]));
            steps.Add(["ip", "-n", Hosts[host], "addr", "add", $"{AddressOf(host)}/{PrefixLength}", "dev", HostVeth(host)]);
            steps.Add(["ip", "-n", Hosts[host], "link", "set", "lo", "up"]);
            steps.Add(["ip", "-n", Hosts[host], "link", "set", HostVeth(host), "up"]);
        }

        // The test's own leg: its end stays in this namespace, so the test's sockets reach every host directly.
        var leg = $"wk{_id}t";
        steps.AddRange(SwitchPort(leg, $"wk{_id}st", hostNamespace: null));
        steps.Add(["ip", "addr", "add", $"{_subnet}.254/{PrefixLength}", "dev", leg]);
        steps.Add(["ip", "link", "set", leg, "up"]);

        foreach (var step in steps)
        {
            if (await RunAsync(step) is { } failure)
            {
                return failure;
            }

            if (step is ["ip", "netns", "add", var name])
            {
                _created.Add(name);
            }
        }

        return null;

        // A veth whose one end goes to the host (or stays here when hostNamespace is null) and whose other end is a
        // port of the bridge, up.
        IEnumerable<string[]> SwitchPort(string hostEnd, string switchEnd, string? hostNamespace)
        {
            yield return ["ip", "link", "add", hostEnd, "type", "veth", "peer", "name", switchEnd];
            if (hostNamespace is not null)
            {
                yield return ["ip", "link", "set", hostEnd, "netns", hostNamespace];
            }

            yield return ["ip", "link", "set", switchEnd, "netns", Switch];
            yield return ["ip", "-n", Switch, "link", "set", switchEnd, "master", bridge];
            yield return ["ip", "-n", Switch, "link", "set", switchEnd, "up"];
        }
    }

    /// <summary>Runs one `ip` command; returns a description of its failure, or null.</summary>
    private static async Task<string?> RunAsync(string[] command)
    {
        var (exit, _, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, command);
        return exit == 0 ? null : $"`{string.Join(' ', command)}` failed ({exit}): {error.Trim()}";
    }
}

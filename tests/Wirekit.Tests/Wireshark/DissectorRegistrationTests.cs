namespace Wirekit.Tests.Wireshark;

/// <summary>The dissectors load without a Lua error and claim the default ports and a heuristic each.</summary>
public sealed class DissectorRegistrationTests
{
    [SkippableFact]
    public async Task Each_protocol_is_registered_on_its_default_port_and_by_heuristic()
    {
        LoopbackCapture.SkipUnlessAvailable();
        var ports = await Tshark.ReportAsync("decodes");
        Assert.Contains("tcp.port\t25002\twirekit_file", ports);
        Assert.Contains("tcp.port\t25001\twirekit_chat", ports);
        Assert.Contains("udp.port\t25099\twirekit_discovery", ports);

        var heuristics = await Tshark.ReportAsync("heuristic-decodes");
        Assert.Contains("tcp\twirekit_file\tT", heuristics);
        Assert.Contains("tcp\twirekit_chat\tT", heuristics);
        Assert.Contains("udp\twirekit_discovery\tT", heuristics);
    }
}

using System.Net.NetworkInformation;
using Wirekit.Cli.Commands;
using Wirekit.Diagnostics;

namespace Wirekit.Tests.Diagnostics;

public sealed class NicTests
{
    [Fact]
    public void Each_adapter_lists_its_own_addresses()
    {
        var adapters = AdapterReport.ReadAll();

        var loopback = Assert.Single(adapters, a => a.Type == nameof(NetworkInterfaceType.Loopback));
        Assert.Contains("127.0.0.1/8", loopback.Ipv4);
        // The seed's bug was one adapter's address printed for all: no other adapter may claim loopback's.
        Assert.All(adapters.Where(a => a != loopback), a => Assert.DoesNotContain("127.0.0.1/8", a.Ipv4));
    }

    [Fact]
    public void The_json_output_names_every_adapter()
    {
        var output = new StringWriter();
        var adapters = AdapterReport.ReadAll();

        NicCommand.Print(output, adapters, asJson: true);

        using var document = System.Text.Json.JsonDocument.Parse(output.ToString());
        Assert.Equal(adapters.Count, document.RootElement.GetArrayLength());
        Assert.Contains(document.RootElement.EnumerateArray(), a => a.GetProperty("ipv4").EnumerateArray().Any(ip => ip.GetString() == "127.0.0.1/8"));
    }
}

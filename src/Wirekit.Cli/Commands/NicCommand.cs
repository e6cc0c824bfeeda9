using System.CommandLine;
using Wirekit.Cli.Invocation;
using Wirekit.Diagnostics;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit nic`: every network adapter with its own addresses (like `ip address` or `ipconfig /all`).</summary>
internal static class NicCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var timeout = CommonOptions.Timeout();
        timeout.Description = "Give up if the system takes longer than this many seconds to list its adapters.";
        var command = new Command("nic",
            "List network adapters: name, type, status, MAC, IPv4/IPv6 addresses with prefix length, gateways, " +
            "DNS servers, MTU and link speed. Shows what a server can bind and which address a peer should use.")
        {
            json, timeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            var reading = Task.Run(AdapterReport.ReadAll, ct);
            try
            {
                var adapters = await reading.WaitAsync(TimeSpan.FromSeconds(parse.GetValue(timeout)), ct);
                Print(Console.Out, adapters, parse.GetValue(json));
                return 0;
            }
            catch (TimeoutException)
            {
                throw new CommandFailure("listing network adapters timed out");
            }
            catch (System.Net.NetworkInformation.NetworkInformationException e)
            {
                throw new CommandFailure($"cannot list network adapters: {e.Message}");
            }
        });
        return command;
    }

    internal static void Print(TextWriter output, IReadOnlyList<AdapterReport> adapters, bool asJson)
    {
        if (asJson)
        {
            output.WriteLine(CliJson.Serialize(adapters));
            return;
        }

        foreach (var adapter in adapters)
        {
            output.WriteLine($"{adapter.Name} ({adapter.Type}, {adapter.Status})");
            Line(output, "MAC", adapter.Mac ?? "-");
            Line(output, "IPv4", adapter.Ipv4);
            Line(output, "IPv6", adapter.Ipv6);
            Line(output, "gateways", adapter.Gateways);
            Line(output, "DNS servers", adapter.DnsServers);
            Line(output, "MTU", adapter.Mtu?.ToString() ?? "-");
            Line(output, "speed", adapter.SpeedBitsPerSecond is { } bps ? FormatSpeed(bps) : "-");
            output.WriteLine();
        }
    }

    private static void Line(TextWriter output, string label, IReadOnlyList<string> values)
        => Line(output, label, values.Count == 0 ? "-" : string.Join(", ", values));

    private static void Line(TextWriter output, string label, string value) => output.WriteLine($"  {label,-12} {value}");

    private static string FormatSpeed(long bitsPerSecond) => bitsPerSecond >= 1_000_000_000
        ? $"{bitsPerSecond / 1e9:0.#} Gbit/s"
        : $"{bitsPerSecond / 1e6:0.#} Mbit/s";
}

using System.Runtime.CompilerServices;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Wireshark;

/// <summary>tshark with Wirekit's dissectors (tools/wireshark/*.lua) loaded, as the README tells a person to run it.</summary>
internal static class Tshark
{
    public const char Occurrences = '|';

    public static string DissectorFolder { get; } = FindDissectorFolder();

    /// <summary>
    /// One row per packet of <paramref name="capture"/> matching a display filter, one cell per field; a field's
    /// occurrences in one packet (several frames in one segment) joined by '|'.
    /// </summary>
    public static async Task<IReadOnlyList<string[]>> FieldsAsync(string capture, string displayFilter, params string[] fields)
    {
        var output = await RunAsync(
            // Heuristics first: the tests' ports are ephemeral, and one may be a port another dissector is registered on
            // (tshark tries the port table first by default and would hand that dissector the conversation).
            ["-r", capture, "-o", "tcp.try_heuristic_first:TRUE", "-o", "udp.try_heuristic_first:TRUE",
                "-Y", displayFilter, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", $"aggregator={Occurrences}",
                .. LuaScripts(), .. fields.SelectMany(field => new[] { "-e", field })]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).ToList();
    }

    /// <summary>One of tshark's -G reports (decodes, heuristic-decodes, fields) with the dissectors loaded, one line per entry.</summary>
    public static async Task<IReadOnlyList<string>> ReportAsync(string report)
        => (await RunAsync(["-G", report, .. LuaScripts()])).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<string> RunAsync(string[] arguments)
    {
        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, [ExternalServer.Find("tshark")!, .. arguments]);
        // A script that fails to load is only a warning to tshark; for these tests it is a failure.
        if (exit != 0 || error.Contains("Lua", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"tshark exited with {exit}: {error}");
        }

        return output;
    }

    /// <summary>Every cell of one column, occurrences split out, in packet order.</summary>
    public static IReadOnlyList<string> Column(IEnumerable<string[]> rows, int index)
        => rows.SelectMany(row => row[index].Split(Occurrences, StringSplitOptions.RemoveEmptyEntries)).ToList();

    private static IEnumerable<string> LuaScripts()
        => Directory.GetFiles(DissectorFolder, "*.lua").Order().SelectMany(script => new[] { "-X", "lua_script:" + script });

    private static string FindDissectorFolder([CallerFilePath] string source = "")
        => Path.GetFullPath(Path.Join(Path.GetDirectoryName(source)!, "..", "..", "..", "tools", "wireshark"));
}

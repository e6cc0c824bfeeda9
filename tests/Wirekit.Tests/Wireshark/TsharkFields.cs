using System.Runtime.CompilerServices;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Wireshark;

/// <summary>
/// tshark reading a capture with Wirekit's dissectors (tools/wireshark/*.lua) loaded: one row per packet matching a
/// display filter, one cell per field, a field's occurrences in one packet (several frames in a segment) joined by '|'.
/// </summary>
internal static class TsharkFields
{
    public const char Occurrences = '|';

    public static string DissectorFolder { get; } = FindDissectorFolder();

    public static async Task<IReadOnlyList<string[]>> ReadAsync(string capture, string displayFilter, params string[] fields)
    {
        string[] command =
        [
            ExternalServer.Find("tshark")!, "-r", capture, "-Y", displayFilter, "-T", "fields",
            "-E", "separator=/t", "-E", "occurrence=a", "-E", $"aggregator={Occurrences}",
            .. LuaScripts(), .. fields.SelectMany(field => new[] { "-e", field }),
        ];
        var (exit, output, error) = await ToolProcess.RunUncheckedAsync(Deadline.Default, command);
        if (exit != 0 || error.Contains("Lua", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"tshark exited with {exit}: {error}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).ToList();
    }

    /// <summary>Every cell of one column, occurrences split out, in packet order.</summary>
    public static IReadOnlyList<string> Column(IEnumerable<string[]> rows, int index)
        => rows.SelectMany(row => row[index].Split(Occurrences, StringSplitOptions.RemoveEmptyEntries)).ToList();

    private static IEnumerable<string> LuaScripts()
        => Directory.GetFiles(DissectorFolder, "*.lua").Order().SelectMany(script => new[] { "-X", "lua_script:" + script });

    private static string FindDissectorFolder([CallerFilePath] string source = "")
        => Path.GetFullPath(Path.Join(Path.GetDirectoryName(source)!, "..", "..", "..", "tools", "wireshark"));
}

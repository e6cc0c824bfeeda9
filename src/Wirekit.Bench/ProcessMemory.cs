using System.Globalization;

namespace Wirekit.Bench;

/// <summary>Another process's resident memory, read from /proc (Linux), for the memory-per-connection figure.</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS of <paramref name="pid"/> in bytes, or null when the process or /proc is not there.</summary>
    public static long? ReadResidentBytes(int pid)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{pid}/status");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        foreach (var line in lines)
        {
            // "VmRSS:     12345 kB": the kernel always reports this field in kB.
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
            {
                return kib * 1024;
            }
        }

        return null;
    }
}

using System.Globalization;

namespace Wirekit.Engines.Sessions;

/// <summary>The largest listen backlog the system grants: listen(2) silently cuts any larger request to it.</summary>
internal static class ListenBacklog
{
    /// <summary>Used where the system does not say (Windows' SOMAXCONN is a "pick a reasonable maximum" flag).</summary>
    private const int Fallback = 4096;

    public static int SystemMaximum { get; } = Read();

    private static int Read()
    {
        try
        {
            if (OperatingSystem.IsLinux()
                && int.TryParse(File.ReadAllText("/proc/sys/net/core/somaxconn").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                && value > 0)
            {
                return value;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return Fallback;
    }
}

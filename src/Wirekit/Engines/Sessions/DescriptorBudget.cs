namespace Wirekit.Engines.Sessions;

/// <summary>
/// The descriptors this process may spend on sessions, shared by every server in it (`wirekit serve` runs three).
/// Admission reserves a session's descriptors here before the session exists, so the process never reaches its
/// open-file limit through connections: at the limit, accept(2), the runtime's own epoll and pipe descriptors and a
/// file server's open() all fail, and the runtime does not survive every one of those failures. Capacity is the
/// limit less what was open when the first server started, less a headroom for what the runtime, logs, files and a
/// backplane open later. Policy when it is spent: the connection is refused with the service's notice, and counted.
/// </summary>
internal static class DescriptorBudget
{
    /// <summary>Kept free of sessions: at least this many, or a sixteenth of the limit when that is more.</summary>
    private const int MinimumHeadroom = 32;

    private static readonly Lazy<long> CapacityOnce = new(MeasureCapacity);
    private static long _reserved;

    /// <summary>Descriptors sessions may hold in all, or <see cref="long.MaxValue"/> where the OS has no limit.</summary>
    public static long Capacity => CapacityOnce.Value;

    /// <summary>The open-file limit the capacity was derived from, or null where there is none.</summary>
    public static long? Limit { get; } = OpenFileLimit.Current();

    public static long Reserved => Volatile.Read(ref _reserved);

    public static bool TryReserve(int count)
    {
        var capacity = Capacity;
        var current = Volatile.Read(ref _reserved);
        while (current + count <= capacity)
        {
            var seen = Interlocked.CompareExchange(ref _reserved, current + count, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    public static void Release(int count) => Interlocked.Add(ref _reserved, -count);

    private static long MeasureCapacity()
    {
        if (Limit is not { } limit)
        {
            return long.MaxValue;
        }

        var headroom = Math.Max(MinimumHeadroom, limit / 16);
        var open = OpenFileLimit.OpenNow() ?? 64;
        return Math.Max(0, limit - open - headroom);
    }
}

namespace Wirekit.Transfer;

/// <summary>One file as the modern list describes it.</summary>
/// <param name="Name">UTF-8 name, one path component of the served folder.</param>
/// <param name="Size">Bytes.</param>
/// <param name="LastWriteUnixMs">Last write time, Unix milliseconds UTC.</param>
/// <param name="Hash">XXH128 of the content (canonical big-endian value).</param>
public sealed record FileEntry(string Name, long Size, long LastWriteUnixMs, UInt128 Hash)
{
    /// <summary>The hash as 32 lowercase hex digits, as xxhsum prints it.</summary>
    public string HashHex => Hash.ToString("x32");
}

namespace Wirekit.Diagnostics;

/// <summary>Bytes moved so far and the total when the peer announced one; shared by the HTTP and FTP clients.</summary>
public readonly record struct TransferProgress(long Bytes, long? Total, TimeSpan Elapsed)
{
    public double? Fraction => Total is > 0 ? (double)Bytes / Total.Value : null;

    public double BytesPerSecond => Elapsed.TotalSeconds > 0 ? Bytes / Elapsed.TotalSeconds : 0;

    public override string ToString()
    {
        var size = Total is { } total ? $"{Format(Bytes)} / {Format(total)}" : Format(Bytes);
        var percent = Fraction is { } fraction ? $"  {fraction:P0}" : "";
        return $"{size}{percent}  {Format((long)BytesPerSecond)}/s";
    }

    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} B",
    };
}

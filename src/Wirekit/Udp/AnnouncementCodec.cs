using System.Text.Json;

namespace Wirekit.Udp;

/// <summary>
/// The discovery datagram: one UTF-8 JSON object, at most 512 bytes, tagged "wirekit":"announce/1" (docs/discovery.md).
/// Pure: info in, bytes out, and back; every field is bounded and checked, since anyone on the link may send to the port.
/// </summary>
public static class AnnouncementCodec
{
    public const string Tag = "announce/1";

    // Small enough for one datagram on any link (576-byte minimum IPv4 reassembly size minus headers).
    public const int MaxDatagramBytes = 512;
    public const int MaxServiceLength = 32;
    public const int MaxVersionLength = 32;
    public const int MaxNameLength = 64;

    public static byte[] Encode(AnnouncementInfo info)
    {
        if (Validate(info) is { } problem)
        {
            throw new ArgumentException(problem, nameof(info));
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(new Wire(Tag, info.Service, info.Version, info.Port, info.Name), WireContext.Default.Wire);
        return bytes.Length <= MaxDatagramBytes
            ? bytes
            : throw new ArgumentException($"announcement is {bytes.Length} bytes; the limit is {MaxDatagramBytes}", nameof(info));
    }

    public static bool TryDecode(ReadOnlySpan<byte> datagram, out AnnouncementInfo? info, out string? problem)
    {
        info = null;
        if (datagram.Length > MaxDatagramBytes)
        {
            problem = $"datagram of {datagram.Length} bytes exceeds {MaxDatagramBytes}";
            return false;
        }

        Wire? wire;
        try
        {
            wire = JsonSerializer.Deserialize(datagram, WireContext.Default.Wire);
        }
        catch (JsonException)
        {
            problem = "not a JSON object";
            return false;
        }

        if (wire is null || wire.Wirekit != Tag)
        {
            problem = $"not tagged \"wirekit\":\"{Tag}\"";
            return false;
        }

        var candidate = new AnnouncementInfo(wire.Service ?? "", wire.Version ?? "", wire.Port, wire.Name ?? "");
        problem = Validate(candidate);
        info = problem is null ? candidate : null;
        return problem is null;
    }

    public static string? Validate(AnnouncementInfo info)
    {
        if (info.Service.Length is 0 or > MaxServiceLength || !info.Service.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            return $"service must be 1-{MaxServiceLength} characters of a-z, 0-9 and '-'";
        }

        if (!IsPrintable(info.Version, MaxVersionLength))
        {
            return $"version must be 1-{MaxVersionLength} printable characters";
        }

        if (!IsPrintable(info.Name, MaxNameLength))
        {
            return $"name must be 1-{MaxNameLength} printable characters";
        }

        return info.Port is < 1 or > 65535 ? "port must be 1-65535" : null;
    }

    private static bool IsPrintable(string text, int maxLength)
        => text.Length > 0 && text.Length <= maxLength && !text.Any(char.IsControl);

    internal sealed record Wire(string? Wirekit, string? Service, string? Version, int Port, string? Name);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(AnnouncementCodec.Wire))]
internal sealed partial class WireContext : System.Text.Json.Serialization.JsonSerializerContext;

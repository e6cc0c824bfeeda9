using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wirekit.Udp;

namespace Wirekit.Tests.Properties;

/// <summary>decode(encode(x)) = x for generated announcements; any datagram is decoded or refused with a reason (issue 13 §3).</summary>
public sealed class AnnouncementProperties
{
    private const string ServiceAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";

    [Property]
    public Property A_valid_announcement_decodes_to_what_was_encoded_or_is_refused_for_its_size(NonEmptyString service, NonEmptyString version, NonEmptyString name, PositiveInt port)
    {
        // Arbitrary strings made valid: the service mapped into its alphabet, controls dropped from the others.
        var info = new AnnouncementInfo(
            new string([.. service.Get.Take(AnnouncementCodec.MaxServiceLength).Select(c => ServiceAlphabet[c % ServiceAlphabet.Length])]),
            Printable(version.Get, AnnouncementCodec.MaxVersionLength),
            1 + (port.Get % 65535),
            Printable(name.Get, AnnouncementCodec.MaxNameLength));
        byte[] datagram;
        try
        {
            datagram = AnnouncementCodec.Encode(info);
        }
        catch (ArgumentException e) when (e.Message.StartsWith("announcement is ", StringComparison.Ordinal))
        {
            // Valid fields can still escape past 512 bytes of JSON (non-ASCII is written as \uXXXX): refused, said so.
            return true.Classify(true, "too large once escaped");
        }

        return (datagram.Length <= AnnouncementCodec.MaxDatagramBytes
            && AnnouncementCodec.TryDecode(datagram, out var decoded, out var problem) && problem is null && decoded == info).ToProperty();
    }

    [Property]
    public bool Any_datagram_is_decoded_or_refused_with_a_reason(byte[] datagram)
        => AnnouncementCodec.TryDecode(datagram, out var info, out var problem)
            ? info is not null && problem is null && AnnouncementCodec.Validate(info) is null
            : info is null && !string.IsNullOrEmpty(problem);

    private static string Printable(string text, int max)
    {
        var kept = new string([.. text.Where(c => !char.IsControl(c) && !char.IsSurrogate(c)).Take(max)]);
        return kept.Length == 0 ? "x" : kept;
    }
}

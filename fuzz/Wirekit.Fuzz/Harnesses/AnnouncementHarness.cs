using System.Text;
using Wirekit.Udp;

namespace Wirekit.Fuzz.Harnesses;

/// <summary>
/// <see cref="AnnouncementCodec.TryDecode"/> on each chunk as one datagram (a datagram arrives whole or not at all, so
/// the split only decides where one ends and the next begins). An accepted announcement must be valid and survive
/// encode then decode unchanged; a refused one says why and hands back nothing.
/// </summary>
public sealed class AnnouncementHarness : IHarness
{
    public string Name => "announcement";

    public void Run(FuzzInput input)
    {
        foreach (var datagram in input.Chunks())
        {
            if (!AnnouncementCodec.TryDecode(datagram.Span, out var info, out var problem))
            {
                Invariant.Holds(info is null && !string.IsNullOrEmpty(problem), "a refusal says why and hands back nothing");
                continue;
            }

            Invariant.Holds(info is not null && problem is null, "an acceptance hands back the announcement");
            Invariant.Holds(datagram.Length <= AnnouncementCodec.MaxDatagramBytes, "nothing over the datagram limit is accepted");
            Invariant.Equal(null, AnnouncementCodec.Validate(info!), "an accepted announcement is valid");
            var again = AnnouncementCodec.Encode(info!);
            Invariant.Holds(AnnouncementCodec.TryDecode(again, out var decoded, out _), "an accepted announcement re-encodes to one accepted");
            Invariant.Equal(info, decoded, "announcement re-encoded");
        }
    }

    public IEnumerable<(string Name, byte[] Input)> Seeds()
    {
        yield return ("echo", FuzzInput.Format(0, [], AnnouncementCodec.Encode(new AnnouncementInfo("echo", "1.0.0", 25000, "lab-host"))));
        yield return ("chat-unicode", FuzzInput.Format(0, [], AnnouncementCodec.Encode(new AnnouncementInfo("chat", "1.2.3-dev", 25001, "사무실 서버"))));
        var two = AnnouncementCodec.Encode(new AnnouncementInfo("file", "2", 25002, "a"));
        yield return ("two-datagrams", FuzzInput.Format(0, [(byte)two.Length, 0], [.. two, .. two]));
        yield return ("wrong-tag", FuzzInput.Format(0, [], Encoding.UTF8.GetBytes("""{"wirekit":"announce/2","service":"echo","version":"1","port":1,"name":"x"}""")));
        yield return ("bad-port", FuzzInput.Format(0, [], Encoding.UTF8.GetBytes("""{"wirekit":"announce/1","service":"echo","version":"1","port":70000,"name":"x"}""")));
    }
}

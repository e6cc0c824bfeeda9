using System.Buffers;
using System.Net;
using System.Text;
using Wirekit.Diagnostics.Ftp;

namespace Wirekit.Fuzz.Harnesses;

/// <summary>
/// <see cref="FtpReplyParser"/> as the control channel drives it: bytes appended as they arrive, replies parsed off
/// the front. Every reply's text then goes through the PASV and EPSV parsers, which must only ever aim the data
/// connection at the control connection's host, on a port 1..65535. The replies must not depend on the split.
/// </summary>
public sealed class FtpReplyHarness : IHarness
{
    private static readonly IPAddress Control = IPAddress.Parse("192.0.2.7");

    public string Name => "ftp-reply";

    public void Run(FuzzInput input)
    {
        var whole = Replies([input.Data]);
        var split = Replies(input.Chunks());
        Invariant.Equal(whole.Count, split.Count, "replies whatever the split");
        for (var i = 0; i < whole.Count; i++)
        {
            Invariant.Equal(whole[i], split[i], $"reply {i} whatever the split");
        }
    }

    private static List<string> Replies(IEnumerable<ReadOnlyMemory<byte>> chunks)
    {
        var results = new List<string>();
        var buffer = new List<byte>();
        foreach (var chunk in chunks)
        {
            buffer.AddRange(chunk.ToArray());
            while (true)
            {
                var available = buffer.ToArray();
                var status = FtpReplyParser.TryParse(available, out var reply, out var consumed);
                if (status == OperationStatus.NeedMoreData)
                {
                    Invariant.Holds(available.Length < FtpReplyParser.MaxReplyBytes, "NeedMoreData only below the reply bound");
                    Invariant.Equal(0, consumed, "NeedMoreData consumes nothing");
                    break;
                }

                if (status == OperationStatus.InvalidData)
                {
                    // The channel gives up on the connection here: nothing after it is read.
                    results.Add("invalid");
                    return results;
                }

                Invariant.Holds(consumed > 0 && consumed <= available.Length && consumed <= FtpReplyParser.MaxReplyBytes, "0 < consumed <= min(available, bound)");
                Invariant.Holds(available[consumed - 1] == (byte)'\n', "a reply ends at a line end");
                Invariant.Holds(reply!.Code is >= 100 and <= 599, "a reply code is three digits 1xx..5xx");
                Invariant.Holds(reply.Text.Length <= consumed, "a reply's text comes from the bytes consumed");
                CheckPassive(reply.Text);
                results.Add(reply.ToString());
                buffer.RemoveRange(0, consumed);
            }
        }

        return results;
    }

    private static void CheckPassive(string text)
    {
        if (PassiveReply.TryParse(text, Control, out var passive))
        {
            Invariant.Holds(passive!.Address.Equals(Control) && passive.Port is >= 1 and <= 65535, "PASV aims only at the control host");
        }

        if (PassiveReply.TryParseExtended(text, Control, out var extended))
        {
            Invariant.Holds(extended!.Address.Equals(Control) && extended.Port is >= 1 and <= 65535, "EPSV aims only at the control host");
        }
    }

    public IEnumerable<(string Name, byte[] Input)> Seeds()
    {
        // Replies as vsftpd sends them in the FTP tests.
        yield return ("welcome", Seed(0, [], "220 (vsFTPd 3.0.3)\r\n"));
        yield return ("multi-line", Seed(0, [3], "211-Features:\r\n EPSV\r\n PASV\r\n SIZE\r\n211 End\r\n"));
        yield return ("pasv", Seed(0, [], "227 Entering Passive Mode (127,0,0,1,39,16).\r\n"));
        yield return ("epsv", Seed(0, [1], "229 Entering Extended Passive Mode (|||6446|)\r\n"));
        yield return ("login-sequence", Seed(0, [7, 2], "331 Please specify the password.\r\n230 Login successful.\r\n150 Here comes the directory listing.\r\n226 Directory send OK.\r\n"));
        yield return ("not-ftp", Seed(0, [], "HTTP/1.1 400 Bad Request\r\n"));
    }

    private static byte[] Seed(int mode, byte[] chunks, string text) => FuzzInput.Format(mode, chunks, Encoding.UTF8.GetBytes(text));
}

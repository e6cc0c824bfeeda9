using System.Diagnostics;
using System.Text;
using Wirekit.Chat;
using Wirekit.Engines;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Chat;

/// <summary>Logs are bounded too: a member sending nothing but bad input costs a few lines, not one per offence.</summary>
public abstract partial class ChatEngineTests
{
    [Fact]
    public async Task A_flood_of_bad_input_writes_a_bounded_number_of_log_lines()
    {
        const int offences = 3000;
        var logs = new CapturingLoggerFactory();
        var clock = Stopwatch.StartNew();
        // The flood guard off: the worst case, a session that is never disconnected and never stops.
        await using (var server = ChatTestServer.Start(Engine, new ServerOptions(), WithTestJoinGrace(new ChatOptions { RateLimit = 0, MaxRepeats = 0, MaxMessageBytes = 16 }), logs))
        {
            var (mallory, _) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
            var bad = new StringBuilder();
            for (var i = 0; i < offences; i++)
            {
                bad.Append(i % 2 == 0 ? $"{new string('x', 17)}\n" : $"/nick bad!{i}\n");
            }

            await mallory.SendRawAsync(Encoding.ASCII.GetBytes(bad.ToString()));
            await mallory.SendLineAsync("/who");
            var replies = await mallory.SkipUntilAsync("-!- 1 online: " + ChatNames.Default(1));
            Assert.Equal(offences, replies.Count); // every offence is still answered: only the log is bounded
        }

        // 5 complaints per session per 10 s, each later burst after a count line, and one count at the end, plus
        // the session's join, leave, connect and close lines.
        var windows = (int)(clock.Elapsed.TotalSeconds / 10) + 1;
        var chatLines = logs.Lines.Count(line => line.Category == "Wirekit.Chat");
        Assert.InRange(chatLines, 5 + 1 + 2, (windows * 6) + 1 + 2);
        Assert.InRange(logs.Lines.Count, chatLines, chatLines + 10);
        // Nothing is lost from the record: the complaints written plus the counts of those left out make every offence.
        var written = logs.Lines.Count(line => line.Event.Id is 106 or 108);
        var leftOut = logs.Lines.Where(line => line.Event.Id == 109).Sum(line => long.Parse(line.Message.Split(' ')[3]));
        Assert.Equal(offences, written + leftOut);
    }
}

using System.Net;
using Wirekit.Tests.Infrastructure;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// Issue 8 §7: one connection's bad requests cost a bounded number of log lines and end the connection; wrong
/// token guesses close it and make the address wait; everyone else keeps being served.
/// </summary>
public sealed class AbuseTests
{
    [Fact]
    public async Task Flood_of_refused_requests_is_closed_after_the_limit_and_logs_a_bounded_number_of_lines()
    {
        var log = new RecordingLoggers();
        await using var server = FileServerScope.Start(loggers: log.Factory);
        server.WriteRandomFile("a", 10);
        using var bystander = await RawFileClient.ConnectAsync(server.EndPoint);
        using var flooder = await RawFileClient.ConnectAsync(server.EndPoint);
        var limit = new FileServerOptions { Root = "." }.MaxErrorsPerConnection;

        // 1,000 refused GETs in one write, as the flood did (50,000 in 0.8 s).
        await flooder.SendAsync(Enumerable.Range(0, 1000).SelectMany(i => ModernMessages.FormatGet($"missing-{i}", 0, 1)).ToArray());
        for (var i = 0; i < limit; i++)
        {
            Assert.Equal((50, 260), await flooder.ReceiveHeaderAsync());
            Assert.Equal((int)FileErrorCode.NotFound, (await flooder.ReceiveErrorDataAsync()).Code);
        }

        Assert.True(await flooder.ServerClosedAsync());
        Assert.Equal(1, server.Counters[FileServerEvent.TooManyErrors]);
        var refusals = log.Lines.Count(l => l.Contains(" refused ", StringComparison.Ordinal));
        Assert.InRange(refusals, 1, 5);
        Assert.Single(log.Lines, l => l.Contains("error replies; closing", StringComparison.Ordinal));

        await bystander.SendAsync(RawFileClient.Header((int)FileCommandCode.GetList, 0));
        Assert.Equal(200, (await bystander.ReceiveHeaderAsync()).Code);
    }

    [Fact]
    public async Task Wrong_tokens_close_the_connection_and_the_address_waits_before_its_next_try()
    {
        await using var server = FileServerScope.Start(o => o with { Token = "s3cret", NoClassic = true });
        using (var guesser = await RawFileClient.ConnectAsync(server.EndPoint))
        {
            for (var i = 0; i < TokenGuessBackoff.FreeGuesses; i++)
            {
                await guesser.SendAsync(ModernMessages.FormatAuth($"guess{i}"));
                Assert.Equal(50, (await guesser.ReceiveHeaderAsync()).Code);
                Assert.Equal((int)FileErrorCode.Unauthorized, (await guesser.ReceiveErrorDataAsync()).Code);
            }

            Assert.True(await guesser.ServerClosedAsync());
        }

        Assert.Equal(1, server.Counters[FileServerEvent.TokenGuessesClosed]);
        // Even the right token waits now: its address is blocked, so guesses cannot go on from a fresh connection.
        var refused = await Assert.ThrowsAsync<FileTransferException>(
            () => new FileTransferClient(server.Client() with { Token = "s3cret" }).ListAsync().WaitAsync(Deadline.Default));
        Assert.Equal(FileErrorCode.Unauthorized, refused.ServerError);
        Assert.Contains("too many wrong tokens", refused.Message);
        Assert.Equal(1, server.Counters[FileServerEvent.TokenGuessBlocked]);
    }

    [Fact]
    public void Backoff_doubles_per_guess_clears_on_success_expires_and_stays_bounded()
    {
        var time = new ManualTime();
        var backoff = new TokenGuessBackoff(time);
        var address = IPAddress.Parse("192.0.2.7");
        for (var i = 0; i < TokenGuessBackoff.FreeGuesses - 1; i++)
        {
            backoff.Failed(address);
        }

        Assert.Equal(TimeSpan.Zero, backoff.BlockedFor(address));
        backoff.Failed(address);
        Assert.Equal(TokenGuessBackoff.FirstBlock, backoff.BlockedFor(IPAddress.Parse("::ffff:192.0.2.7")));
        time.Advance(TokenGuessBackoff.FirstBlock);
        Assert.Equal(TimeSpan.Zero, backoff.BlockedFor(address));
        backoff.Failed(address);
        Assert.Equal(2 * TokenGuessBackoff.FirstBlock, backoff.BlockedFor(address));
        for (var i = 0; i < 20; i++)
        {
            backoff.Failed(address);
        }

        Assert.Equal(TokenGuessBackoff.LongestBlock, backoff.BlockedFor(address));
        backoff.Succeeded(address);
        Assert.Equal(TimeSpan.Zero, backoff.BlockedFor(address));

        for (var i = 0; i < TokenGuessBackoff.Capacity + 100; i++)
        {
            backoff.Failed(new IPAddress(BitConverter.GetBytes(0x0A000000 + i)));
        }

        Assert.Equal(TokenGuessBackoff.Capacity, backoff.Count);
    }

    [Fact]
    public async Task Serve_refuses_a_token_that_would_leave_the_classic_commands_open()
    {
        var root = Directory.CreateTempSubdirectory("wirekit-token-").FullName;
        using var refused = CliProcess.Start("file", "serve", "--root", root, "--port", "0", "--token", "s3cret");
        Assert.Equal(2, await refused.WaitForExitAsync(Deadline.Default));
        Assert.StartsWith("error: --token guards only the modern commands", Assert.Single(refused.Output.Split('\n'), l => l.Length > 0));

        using var allowed = CliProcess.Start("file", "serve", "--root", root, "--port", "0", "--token", "s3cret", "--allow-classic-without-token");
        await allowed.WaitForListeningPortAsync("file");
        Assert.Contains("warning: --token is set, but the classic list and get stay open to everyone", allowed.Output);
        Directory.Delete(root);
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

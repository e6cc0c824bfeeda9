using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

/// <summary>Bogus sizes close only the offending connection; unknown codes and bad payloads keep it usable.</summary>
public sealed class BadInputTests
{
    [Theory]
    [InlineData(65_537)]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    public async Task Oversize_or_negative_size_gets_an_error_then_close_and_others_are_still_served(int size)
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("a", 10);
        using var bystander = await RawFileClient.ConnectAsync(server.EndPoint);
        using var attacker = await RawFileClient.ConnectAsync(server.EndPoint);

        await attacker.SendAsync(RawFileClient.Header((int)FileCommandCode.Get, size));
        Assert.Equal((50, 260), await attacker.ReceiveHeaderAsync());
        Assert.Equal((int)FileErrorCode.TooLarge, (await attacker.ReceiveErrorDataAsync()).Code);
        Assert.True(await attacker.ServerClosedAsync());

        await bystander.SendAsync(RawFileClient.Header((int)FileCommandCode.GetList, 0));
        Assert.Equal(200, (await bystander.ReceiveHeaderAsync()).Code);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(999, 16)]
    [InlineData(-5, 3)]
    [InlineData(201, 0)]
    public async Task Unknown_code_gets_an_error_and_the_connection_stays_usable(int code, int payload)
    {
        await using var server = FileServerScope.Start();
        using var client = await RawFileClient.ConnectAsync(server.EndPoint);
        await client.SendAsync(RawFileClient.Header(code, payload).Concat(new byte[payload]).ToArray(), oneBytePerSend: true);
        Assert.Equal(50, (await client.ReceiveHeaderAsync()).Code);
        Assert.Equal((int)FileErrorCode.UnknownCommand, (await client.ReceiveErrorDataAsync()).Code);
        await client.SendAsync(RawFileClient.Header((int)FileCommandCode.GetList, 0));
        Assert.Equal(200, (await client.ReceiveHeaderAsync()).Code);
    }

    [Fact]
    public async Task Malformed_payloads_are_bad_requests()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("a", 10);
        using var client = await RawFileClient.ConnectAsync(server.EndPoint);

        await client.SendAsync(RawFileClient.Header((int)FileCommandCode.GetFile, 3).Concat(new byte[3]).ToArray());
        Assert.Equal(50, (await client.ReceiveHeaderAsync()).Code);
        Assert.Equal((int)FileErrorCode.BadRequest, (await client.ReceiveErrorDataAsync()).Code);

        var get = ModernMessages.FormatGet("a", 0, 5);
        get[8 + 16] = 200; // nameLength says 200, one byte follows
        await client.SendAsync(get);
        Assert.Equal(50, (await client.ReceiveHeaderAsync()).Code);
        Assert.Equal((int)FileErrorCode.BadRequest, (await client.ReceiveErrorDataAsync()).Code);

        await client.SendAsync(ModernMessages.FormatGet("a", 11, 1));
        Assert.Equal(50, (await client.ReceiveHeaderAsync()).Code);
        Assert.Equal((int)FileErrorCode.BadRequest, (await client.ReceiveErrorDataAsync()).Code);

        await client.SendAsync(ModernMessages.FormatGet("a", 10, 1));
        Assert.Equal((int)FileCommandCode.File, (await client.ReceiveHeaderAsync()).Code);
    }

    [Fact]
    public async Task Idle_client_is_closed_after_the_timeout()
    {
        await using var server = FileServerScope.Start(o => o with { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = await RawFileClient.ConnectAsync(server.EndPoint);
        Assert.True(await client.ServerClosedAsync());
    }
}

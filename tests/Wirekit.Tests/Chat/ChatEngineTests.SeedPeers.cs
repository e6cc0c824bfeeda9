namespace Wirekit.Tests.Chat;

/// <summary>Clients written the way the classic C examples are, as peers of the chat server.</summary>
public abstract partial class ChatEngineTests
{
    [SkippableFact]
    public async Task A_nul_style_member_gets_each_message_in_a_send_of_its_own()
    {
        await using var server = Start();
        var (line, lineName) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var (nul, nulName) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        await nul.SendLineAsync("hi", '\0');
        Assert.Equal($"<{nulName}> hi", await nul.ReadLineAsync());
        await line.SkipUntilAsync($"<{nulName}> hi");
        var reader = new SeedStyleChatReader(nul.Socket);
        var before = reader.DataSegmentsIn;
        Skip.If(before is null, "counting TCP segments needs Linux's TCP_INFO");

        // Three lines in one write reach the server in one receive, so all three echoes are queued before one flush:
        // coalesced, they would leave in one send ("<u> l1\0<u> l2\0<u> l3\0"), and a C client would print only l1.
        // Coalesced sends arrive as fewer segments than messages. More than one each can only be a retransmission: on
        // a loaded machine the kernel's tail loss probe resends the last segment when its ACK is late (a CI run counted
        // one extra), and the receiver counts the copy too.
        await nul.SendRawAsync("l1\0l2\0l3\0"u8.ToArray());
        Assert.Equal([$"<{nulName}> l1", $"<{nulName}> l2", $"<{nulName}> l3"], await reader.ReadMessagesAsync(3));
        Assert.True(reader.DataSegmentsIn >= before + 3, $"3 messages in {reader.DataSegmentsIn - before} segments");

        // The same for lines another member sends: the broadcast queues them from that member's thread.
        var afterOwn = reader.DataSegmentsIn;
        await line.SendRawAsync("m1\nm2\nm3\n"u8.ToArray());
        Assert.Equal([$"<{lineName}> m1", $"<{lineName}> m2", $"<{lineName}> m3"], await reader.ReadMessagesAsync(3));
        Assert.True(reader.DataSegmentsIn >= afterOwn + 3, $"3 messages in {reader.DataSegmentsIn - afterOwn} segments");
    }

    [SkippableFact]
    public async Task A_newline_member_still_gets_queued_messages_coalesced()
    {
        await using var server = Start();
        var (client, name) = await ChatTestClient.JoinAsync(server.LocalEndPoint);
        var reader = new SeedStyleChatReader(client.Socket);
        var before = reader.DataSegmentsIn;
        Skip.If(before is null, "counting TCP segments needs Linux's TCP_INFO");

        await client.SendRawAsync("l1\nl2\nl3\n"u8.ToArray());
        Assert.Equal($"<{name}> l1", await client.ReadLineAsync());
        Assert.Equal($"<{name}> l2", await client.ReadLineAsync());
        Assert.Equal($"<{name}> l3", await client.ReadLineAsync());
        Assert.Equal(before + 1, reader.DataSegmentsIn); // the three echoes left in one send: fan-out stays cheap
    }
}

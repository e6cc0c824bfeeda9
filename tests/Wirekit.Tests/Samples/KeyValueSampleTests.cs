using System.Buffers.Binary;
using System.Security.Cryptography;
using Wirekit.Engines;
using Wirekit.Samples.KeyValue;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Samples;

/// <summary>The sample service (public API only) on every engine: requests answered whole however the stream is cut.</summary>
public abstract class KeyValueSampleTests(EngineKind engine)
{
    protected EngineKind Engine { get; } = engine;

    [Fact]
    public async Task Sets_gets_and_deletes()
    {
        await using var server = ServerHost.Start(Engine, new ServerOptions(), new KeyValueService());
        await using var client = await KeyValueClient.ConnectAsync(server.LocalEndPoint).WaitAsync(Deadline.Default);
        var value = RandomNumberGenerator.GetBytes(40_000);

        await client.SetAsync("사과", value).WaitAsync(Deadline.Default);

        Assert.Equal(value, await client.GetAsync("사과").WaitAsync(Deadline.Default));
        Assert.True(await client.DeleteAsync("사과").WaitAsync(Deadline.Default));
        Assert.Null(await client.GetAsync("사과").WaitAsync(Deadline.Default));
        Assert.False(await client.DeleteAsync("사과").WaitAsync(Deadline.Default));
    }

    [Fact]
    public async Task Answers_requests_sent_one_byte_at_a_time_and_many_in_one_send()
    {
        await using var server = ServerHost.Start(Engine, new ServerOptions(), new KeyValueService());
        using var raw = await TestClient.ConnectAsync(server.LocalEndPoint);
        // Set k = "!", get k, and an unknown operation: three frames, sent byte by byte, then all in one send.
        var stream = Frames([(byte)'S', 1, (byte)'k', (byte)'!'], [(byte)'G', (byte)'k'], [(byte)'?']);

        for (var i = 0; i < stream.Length; i++)
        {
            await raw.SendAsync(stream.AsMemory(i, 1));
        }

        await raw.SendAsync(stream);

        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(Frames([0]), await raw.ReceiveExactlyAsync(5));
            Assert.Equal(Frames([0, (byte)'!']), await raw.ReceiveExactlyAsync(6));
            var error = await raw.ReceiveExactlyAsync(4);
            var body = await raw.ReceiveExactlyAsync(BinaryPrimitives.ReadInt32BigEndian(error));
            Assert.Equal((byte)KeyValueService.Status.Error, body[0]);
        }
    }

    [Fact]
    public async Task A_length_beyond_the_bound_gets_an_error_and_a_close_and_others_are_served()
    {
        var service = new KeyValueService();
        await using var server = ServerHost.Start(Engine, new ServerOptions(), service);
        using (var hostile = await TestClient.ConnectAsync(server.LocalEndPoint))
        {
            await hostile.SendAsync(new byte[] { 0xFF, 0xFF, 0xFF, 0xF0, (byte)'G' });
            var header = await hostile.ReceiveExactlyAsync(4);
            var body = await hostile.ReceiveExactlyAsync(BinaryPrimitives.ReadInt32BigEndian(header));
            Assert.Equal((byte)KeyValueService.Status.Error, body[0]);
            Assert.True(await hostile.ReceiveEndAsync());
        }

        await using var client = await KeyValueClient.ConnectAsync(server.LocalEndPoint).WaitAsync(Deadline.Default);
        await client.SetAsync("a", "b"u8.ToArray()).WaitAsync(Deadline.Default);
        Assert.Equal(1, service.Count);
    }

    private static byte[] Frames(params byte[][] payloads)
    {
        var frames = new List<byte>();
        foreach (var payload in payloads)
        {
            var header = new byte[Frame.HeaderSize];
            Frame.WriteHeader(header, payload.Length);
            frames.AddRange(header);
            frames.AddRange(payload);
        }

        return frames.ToArray();
    }
}

public sealed class IterativeKeyValueSampleTests() : KeyValueSampleTests(EngineKind.Iterative);

public sealed class ThreadsKeyValueSampleTests() : KeyValueSampleTests(EngineKind.Threads);

public sealed class SelectKeyValueSampleTests() : KeyValueSampleTests(EngineKind.Select);

public sealed class AsyncKeyValueSampleTests() : KeyValueSampleTests(EngineKind.Async);

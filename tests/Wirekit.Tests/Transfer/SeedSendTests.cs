using Wirekit.Tests.Infrastructure;
using System.Buffers.Binary;
using System.Text;
using Wirekit.Engines;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

/// <summary>The seed's protocol-less senders: raw bytes until close, and MY_FILE_DATA then bytes.</summary>
public sealed class SeedSendTests
{
    [Fact]
    public async Task Raw_sends_the_file_then_closes()
    {
        var path = Path.GetTempFileName();
        var content = new byte[1_500_000];
        new Random(3).NextBytes(content);
        await File.WriteAllBytesAsync(path, content);
        try
        {
            await using var host = ServerHost.Start(EngineKind.Async, new ServerOptions(), new SeedFileSendHandler(path, SeedSendMode.Raw, Deadline.Default));
            using var client = await RawFileClient.ConnectAsync(host.LocalEndPoint);
            Assert.Equal(content, await client.ReceiveExactlyAsync(content.Length));
            Assert.True(await client.ServerClosedAsync());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Transmit_sends_my_file_data_then_the_bytes_and_waits_for_the_client()
    {
        var folder = Directory.CreateTempSubdirectory("wirekit-seed-").FullName;
        var path = Path.Join(folder, "Sleep Away.zip");
        var content = new byte[700_000];
        new Random(4).NextBytes(content);
        await File.WriteAllBytesAsync(path, content);
        try
        {
            await using var host = ServerHost.Start(EngineKind.Async, new ServerOptions(), new SeedFileSendHandler(path, SeedSendMode.Transmit, Deadline.Default));
            using (var client = await RawFileClient.ConnectAsync(host.LocalEndPoint))
            {
                var header = await client.ReceiveExactlyAsync(SeedFileSendHandler.TransmitHeaderSize);
                Assert.Equal("Sleep Away.zip", Encoding.UTF8.GetString(header, 0, Array.IndexOf(header, (byte)0)));
                Assert.Equal((uint)content.Length, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(256)));
                Assert.Equal(content, await client.ReceiveExactlyAsync(content.Length));
                Assert.Equal(1, host.ActiveSessions); // passive: the server waits for the client to close
            }

            await WaitUntilAsync(() => host.ActiveSessions == 0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline.Default;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}

using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Wirekit.Tests.Infrastructure;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

/// <summary>
/// Issue 10 §1 for `file get`, `file list` and `file send`, each failure class through the CLI in a child process:
/// exactly one `error:` line naming what went wrong, exit 1 (2 for a refused command line), never a stack trace,
/// and no complete-looking file or stray folder left behind.
/// </summary>
public sealed class FileCliErrorTests
{
    [Theory]
    [InlineData("get")]
    [InlineData("list")]
    public async Task Refused(string command)
    {
        var port = ExternalServer.FreePort();
        await AssertFailsAsync(Command(command, "127.0.0.1", port), $"error: could not connect to 127.0.0.1:{port}: connection refused");
    }

    [Theory]
    [InlineData("get")]
    [InlineData("list")]
    public async Task Unreachable(string command)
    {
        // TCP to the limited-broadcast address: the kernel answers ENETUNREACH at once, on any Linux.
        await AssertFailsAsync(Command(command, "255.255.255.255", 25002), "error: could not connect to 255.255.255.255:25002: network is unreachable");
    }

    [Theory]
    [InlineData("get")]
    [InlineData("list")]
    public async Task Timeout(string command)
    {
        await using var silent = new ScriptedServer(async peer =>
        {
            // Reads the request and says nothing, until the client gives up.
            while (await peer.ReceiveAsync(new byte[1024].AsMemory()) > 0)
            {
            }
        });
        await AssertFailsAsync([.. Command(command, "127.0.0.1", silent.Port), "--idle-timeout", "1"], $"error: 127.0.0.1:{silent.Port}: no reply within 1 s");
    }

    [Theory]
    [InlineData("get")]
    [InlineData("list")]
    public async Task Not_a_file_server(string command)
    {
        await using var chat = new ScriptedServer(async peer =>
        {
            await peer.SendAsync("* welcome to the chat, user1\r\n"u8.ToArray());
            await peer.ReceiveAsync(new byte[1].AsMemory());
        });
        await AssertFailsAsync(Command(command, "127.0.0.1", chat.Port), $"error: 127.0.0.1:{chat.Port} is not a Wirekit file server (it answered \"* welcome to the chat, user1\")");
    }

    [Fact]
    public async Task Server_closes_mid_file()
    {
        await using var half = new ScriptedServer(async peer =>
        {
            await peer.ReceiveAsync(new byte[1024].AsMemory());
            await peer.SendAsync(ModernMessages.FormatFileReply(new FileReply(1000, 0, UInt128.One, 0, 1000)).Concat(new byte[10]).ToArray());
        });
        using var folder = new TempFolder();
        var error = await AssertFailsAsync(FileCliTests.Get(half.Port, folder.Path, "x"), "error: the server closed the connection with 990 bytes still to come");
        Assert.EndsWith($"kept in {folder.Path}/x.part (resume with --resume)", error);
        Assert.False(File.Exists(Path.Join(folder.Path, "x")));
    }

    [Fact]
    public async Task Server_closes_mid_list()
    {
        await using var half = new ScriptedServer(async peer =>
        {
            await peer.ReceiveAsync(new byte[1024].AsMemory());
            // The first 20 bytes of a list of one file, then the close.
            var list = ModernMessages.FormatFileList([new FileEntry("a.bin", 1000, 0, UInt128.One)], out var written);
            await peer.SendAsync(list.AsMemory(0, Math.Min(20, written)));
        });
        await AssertFailsAsync(["file", "list", $"127.0.0.1:{half.Port}"], $"error: 127.0.0.1:{half.Port}: connection lost: the peer closed in the middle of a frame (");
    }

    [Fact]
    public async Task Bad_name()
    {
        await using var server = FileServerScope.Start();
        await AssertFailsAsync(FileCliTests.Get(server.EndPoint.Port, server.Downloads, "../etc"), "error: '../etc' is not a plain file name");
        await AssertFailsAsync(FileCliTests.Get(server.EndPoint.Port, server.Downloads, "missing.bin"), $"error: 127.0.0.1:{server.EndPoint.Port} refused: no file 'missing.bin' (NotFound)");
    }

    [Fact]
    public async Task Output_naming_an_existing_file_and_nothing_created_when_nothing_came()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("a.bin", 1000);
        var file = Path.Join(server.Downloads, "existing");
        File.WriteAllText(file, "keep me");
        await AssertFailsAsync(FileCliTests.Get(server.EndPoint.Port, file, "a.bin"), $"error: {file}: is a file, not a folder (-o names the folder to download into)");
        Assert.Equal("keep me", File.ReadAllText(file));
        var library = await Assert.ThrowsAsync<FileTransferException>(() => new FileTransferClient(server.Client()).GetAsync("a.bin", file).WaitAsync(Deadline.Default));
        Assert.Equal((FileTransferRemedy.ChooseFolder, $"{file}: is a file, not a folder"), (library.Remedy, library.Message));

        var never = Path.Join(server.Downloads, "never");
        await AssertFailsAsync(FileCliTests.Get(server.EndPoint.Port, never, "missing.bin"), "error: ");
        Assert.False(Directory.Exists(never), "-o is created only once the server has something to put there");
    }

    [Fact]
    public async Task Part_longer_than_the_file_says_what_to_do()
    {
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("a.bin", 1000);
        var part = Path.Join(server.Downloads, "a.bin.part");
        File.WriteAllBytes(part, new byte[2000]);
        await AssertFailsAsync([.. FileCliTests.Get(server.EndPoint.Port, server.Downloads, "a.bin"), "--resume"],
            $"error: {part} is longer than the server's file (2,000 > 1,000 bytes): delete it, or run without --resume to start over");

        // The library states the fact and a typed remedy; only the CLI knows its flags.
        var library = await Assert.ThrowsAsync<FileTransferException>(
            () => new FileTransferClient(server.Client() with { Resume = true }).GetAsync("a.bin", server.Downloads).WaitAsync(Deadline.Default));
        Assert.Equal($"{part} is longer than the server's file (2,000 > 1,000 bytes)", library.Message);
        Assert.Equal(FileTransferRemedy.StartOver, library.Remedy);
    }

    [SkippableFact]
    public async Task Read_only_output()
    {
        var reason = TmpfsMount.SkipReason();
        Skip.If(reason is not null, reason);
        await using var server = FileServerScope.Start();
        server.WriteRandomFile("a.bin", 1000);
        await using var readOnly = await TmpfsMount.MountAsync(1024 * 1024, readOnly: true);
        await AssertFailsAsync(FileCliTests.Get(server.EndPoint.Port, readOnly.Path, "a.bin"), $"error: {readOnly.Path}: read-only file system");
        var below = Path.Join(readOnly.Path, "dl");
        await AssertFailsAsync(FileCliTests.Get(server.EndPoint.Port, below, "a.bin"), $"error: {below}: read-only file system");
    }

    [Fact]
    public async Task Send_on_a_port_in_use_or_without_its_file()
    {
        using var taken = new Socket(SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        taken.Listen();
        using var folder = new TempFolder();
        var file = Path.Join(folder.Path, "song.zip");
        File.WriteAllText(file, "la");
        var port = ((System.Net.IPEndPoint)taken.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
        await AssertFailsAsync(["file", "send", "--raw", file, "--port", port], $"error: cannot listen on 127.0.0.1:{port}: address already in use", exit: 2, json: false);
        await AssertFailsAsync(["file", "send", "--raw", Path.Join(folder.Path, "nope"), "--port", "0"], "error: no file ", exit: 2, json: false);
    }

    private static string[] Command(string command, string host, int port)
        => command == "get"
            ? ["file", "get", host, port.ToString(CultureInfo.InvariantCulture), "a.bin", "-o", Path.Join(Path.GetTempPath(), "wirekit-never-created")]
            : ["file", "list", host, port.ToString(CultureInfo.InvariantCulture)];

    /// <summary>
    /// Runs the CLI; asserts the exit code and a single `error:` line starting with <paramref name="expected"/>, and
    /// returns it. With <paramref name="json"/>, runs it again with --json: the same line on stderr, and on stdout the
    /// error object with the same message and exit code, nothing else.
    /// </summary>
    private static async Task<string> AssertFailsAsync(string[] arguments, string expected, int exit = 1, bool json = true)
    {
        var (code, lines) = await FileCliTests.RunAsync(arguments);
        var error = FileCliTests.SingleErrorLine(lines);
        Assert.StartsWith(expected, error);
        Assert.True(code == exit, $"exit {code}: {string.Join('\n', lines)}");
        Assert.False(Directory.Exists(Path.Join(Path.GetTempPath(), "wirekit-never-created")));
        if (json)
        {
            var (jsonCode, output, errors) = await ToolProcess.RunUncheckedAsync(Deadline.Default, CliProcess.Command([.. arguments, "--json"]));
            Assert.Equal(exit, jsonCode);
            Assert.StartsWith(expected, FileCliTests.SingleErrorLine(errors.Split('\n')));
            using var document = JsonDocument.Parse(output);
            var reported = document.RootElement.GetProperty("error");
            Assert.StartsWith(expected["error: ".Length..], reported.GetProperty("message").GetString());
            Assert.Equal(exit, reported.GetProperty("exitCode").GetInt32());
        }

        return error;
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("wirekit-cli-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

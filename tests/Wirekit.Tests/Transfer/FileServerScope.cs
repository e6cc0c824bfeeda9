using Wirekit.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using System.IO.Hashing;
using System.Net;
using Wirekit.Engines;
using Wirekit.Transfer;

namespace Wirekit.Tests.Transfer;

/// <summary>A file server on 127.0.0.1 port 0 over a fresh temporary root, and a download folder; both deleted on dispose.</summary>
internal sealed class FileServerScope : IAsyncDisposable
{
    private FileTransferHandler _handler;
    private IServer _server;

    private FileServerScope(string root, string downloads, Func<FileServerOptions, FileServerOptions>? configure, ServerOptions? server, EngineKind engine, ILoggerFactory? loggers)
    {
        Engine = engine;
        Loggers = loggers ?? LoggerFactory.Create(b => b.AddConsole().SetMinimumLevel(LogLevel.Error));
        Root = root;
        Downloads = downloads;
        Configure = configure;
        ServerOptions = (server ?? new ServerOptions()) with { Port = 0 };
        (_handler, _server) = StartServer();
    }

    public string Root { get; }

    public string Downloads { get; }

    public IPEndPoint EndPoint => _server.LocalEndPoint;

    /// <summary>The running server's counters (send timeouts, files changed mid-send, ...).</summary>
    internal FileServerCounters Counters => _handler.Counters;

    /// <summary>Sessions the server holds open right now.</summary>
    public int ActiveSessions => _server.ActiveSessions;

    private Func<FileServerOptions, FileServerOptions>? Configure { get; }

    private ServerOptions ServerOptions { get; }

    private EngineKind Engine { get; }

    private ILoggerFactory Loggers { get; }

    /// <param name="configure">Changes to the file server's options.</param>
    /// <param name="server">Socket options for the server (its port is always 0).</param>
    /// <param name="engine">Async (default) or Threads: the engines that carry a connection handler.</param>
    /// <param name="loggers">Where the file server logs; errors to the console by default.</param>
    public static FileServerScope Start(Func<FileServerOptions, FileServerOptions>? configure = null, ServerOptions? server = null, EngineKind engine = EngineKind.Async,
        ILoggerFactory? loggers = null)
    {
        var root = Directory.CreateTempSubdirectory("wirekit-file-root-").FullName;
        var downloads = Directory.CreateTempSubdirectory("wirekit-file-dl-").FullName;
        return new FileServerScope(root, downloads, configure, server, engine, loggers);
    }

    public FileClientOptions Client(FileClientOptions? template = null)
        => (template ?? new FileClientOptions()) with { Host = "127.0.0.1", Port = EndPoint.Port, Timeout = Deadline.Default };

    public FileClientOptions Client(int port) => Client() with { Port = port };

    public byte[] WriteRandomFile(string name, int size, int seed = 1)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        File.WriteAllBytes(Path.Join(Root, name), data);
        return data;
    }

    /// <summary>Stops the server (sessions closed mid-flight) and starts a new one on the same root, on a new port.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        (_handler, _server) = StartServer();
    }

    public async Task StopAsync()
    {
        await _server.StopAsync().WaitAsync(Deadline.Default);
        _handler.Dispose();
    }

    public static UInt128 Hash(string path) => XxHash128.HashToUInt128(File.ReadAllBytes(path));

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _handler.Dispose();
        Directory.Delete(Root, recursive: true);
        Directory.Delete(Downloads, recursive: true);
    }

    private (FileTransferHandler, IServer) StartServer()
    {
        var options = new FileServerOptions { Root = Root, IdleTimeout = Deadline.Default };
        var handler = new FileTransferHandler(Configure?.Invoke(options) ?? options, Loggers);
        return (handler, ServerHost.Start(Engine, ServerOptions, handler, Loggers));
    }
}

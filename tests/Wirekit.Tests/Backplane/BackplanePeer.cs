using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using StackExchange.Redis;
using Wirekit.Chat;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Backplane;

/// <summary>
/// What carries the room in one test: a redis-server or nats-server of the test's own on an ephemeral loopback
/// port (stopped by its PID), or the in-process hub. Each can be stopped and started again on the same port, and
/// can publish bytes on the room's channel as another program would.
/// </summary>
public abstract class BackplanePeer : IAsyncDisposable
{
    public const string Room = "lobby";

    /// <summary>Why this peer cannot run here (its server binary is missing), or null.</summary>
    public abstract string? WhyNot { get; }

    /// <summary>A real server process, which a CLI node can reach too.</summary>
    public virtual bool IsReal => true;

    public abstract string Url { get; }

    public abstract Task StartAsync();

    public abstract Task StopAsync();

    /// <summary>Stops delivering without dropping a connection (the server process stopped with SIGSTOP: a slow backplane).</summary>
    public abstract void Pause();

    public abstract void Resume();

    /// <summary>Publishes <paramref name="message"/> on the room's channel with the system's own client library.</summary>
    public abstract Task PublishRawAsync(byte[] message);

    internal virtual ChatService CreateService(ChatOptions options, ILoggerFactory? loggers) => new(options, loggers);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A server binary run by the test on one port for its whole life, across stops and starts.</summary>
public abstract class ProcessPeer(string binary) : BackplanePeer
{
    private readonly string? _path = ExternalServer.Find(binary);
    private ExternalServer? _server;

    protected int Port { get; } = ExternalServer.FreePort();

    public override string? WhyNot => _path is null ? $"{binary} is not installed (test.sh installs it)" : null;

    protected abstract string[] Arguments { get; }

    public override async Task StartAsync()
    {
        _server = ExternalServer.Start(_path!, Arguments);
        await _server.WaitUntilReadyAsync(() => ExternalServer.AcceptsTcpAsync(Port), Deadline.Default);
    }

    public override async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    /// <summary>
    /// SIGSTOP, and returns once every thread of the server has stopped: kill() only queues the signal, and a server
    /// thread running on the other core meanwhile could still pass on a message the test sends right after (a CI run
    /// saw the first of six lines come back through a "paused" nats-server).
    /// </summary>
    public override void Pause()
    {
        Signal(19);
        if (_server is { } server && !SpinWait.SpinUntil(() => AllThreadsStopped(server.Pid), Deadline.Default))
        {
            throw new TimeoutException($"{binary} (pid {server.Pid}) did not stop within {Deadline.Default.TotalSeconds} s of SIGSTOP");
        }
    }

    public override void Resume() => Signal(18);

    public override async ValueTask DisposeAsync()
    {
        Resume();
        await StopAsync();
    }

    private void Signal(int signal)
    {
        if (_server is { } server)
        {
            _ = Kill(server.Pid, signal);
        }
    }

    /// <summary>Every /proc/PID/task/TID/stat says T (stopped); a thread that has exited meanwhile does not count.</summary>
    private static bool AllThreadsStopped(int pid)
    {
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // "TID (comm) STATE ...": comm may hold spaces or parentheses, so the state follows the last ')'.
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            if (state is not ('T' or 't'))
            {
                return false;
            }
        }

        return true;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

public sealed class RedisPeer() : ProcessPeer("redis-server")
{
    public override string Url => $"redis://127.0.0.1:{Port}";

    protected override string[] Arguments => ["--port", $"{Port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];

    /// <summary>Sets one of the server's settings (CONFIG SET), as an operator would.</summary>
    public async Task ConfigSetAsync(string setting, string value)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port},allowAdmin=true");
        await redis.GetServer("127.0.0.1", Port).ConfigSetAsync(setting, value);
    }

    public override async Task PublishRawAsync(byte[] message)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port}");
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal($"wirekit:chat:{Room}"), message);
    }
}

/// <summary>nats-server with JetStream (the room's stream is in memory; the store directory is the test's own, removed at the end).</summary>
public sealed class NatsPeer() : ProcessPeer("nats-server")
{
    private readonly string _store = Directory.CreateTempSubdirectory("wirekit-nats-").FullName;

    public override string Url => $"nats://127.0.0.1:{Port}";

    protected override string[] Arguments => WithoutJetStream ? ["-p", $"{Port}", "-a", "127.0.0.1"] : ["-p", $"{Port}", "-a", "127.0.0.1", "-js", "-sd", _store];

    /// <summary>The next start leaves -js out, as an operator who restarts the server without it would.</summary>
    public bool WithoutJetStream { get; set; }

    /// <summary>Established connections of clients to this server now.</summary>
    public int Clients => TcpTable.EstablishedWithLocalPort(Port).Count;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_store, recursive: true);
    }

    public override async Task PublishRawAsync(byte[] message)
    {
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = Url });
        await nats.ConnectAsync();
        await nats.PublishAsync($"wirekit.chat.{Room}", message);
        await nats.PingAsync();
    }
}

public sealed class InProcessPeer : BackplanePeer
{
    private readonly InProcessBackplane _hub = new();

    public override string? WhyNot => null;

    public override bool IsReal => false;

    public override string Url => "redis://in-process";

    public override Task StartAsync()
    {
        _hub.Start();
        return Task.CompletedTask;
    }

    public override Task StopAsync()
    {
        _hub.Stop();
        return Task.CompletedTask;
    }

    /// <inheritdoc cref="InProcessBackplane.StartWithLateSubscriptions"/>
    public void StartWithLateSubscriptions(int missed) => _hub.StartWithLateSubscriptions(missed);

    public override void Pause() => _hub.Pause();

    public override void Resume() => _hub.Resume();

    public override Task PublishRawAsync(byte[] message)
    {
        _hub.Publish(message);
        return Task.CompletedTask;
    }

    internal override ChatService CreateService(ChatOptions options, ILoggerFactory? loggers) => new(options, loggers, _hub.CreateTransport());
}

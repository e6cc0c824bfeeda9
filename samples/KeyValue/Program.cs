using System.Net;
using Wirekit.Engines;
using Wirekit.Samples.KeyValue;

// dotnet run --project samples/KeyValue -- [iterative|threads|select|async] [port]
// Serves the key-value protocol on 127.0.0.1 until Ctrl+C, on the engine asked for (async by default).
var engine = args.Length > 0 ? Enum.Parse<EngineKind>(args[0], ignoreCase: true) : EngineKind.Async;
var port = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 25010;

await using var server = ServerHost.Start(engine, new ServerOptions { BindAddress = IPAddress.Loopback, Port = port }, new KeyValueService());
Console.WriteLine($"key-value server ({engine.ToString().ToLowerInvariant()}) listening on {server.LocalEndPoint}; Ctrl+C stops");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

// Downloads one file from an HTTPS server with nothing but SslStream.Read into a 1 MiB buffer (no hashing, no
// protocol beyond one HTTP/1.1 GET, no Wirekit), and prints "BYTES SECONDS CPU_SECONDS TLS_VERSION": the floor
// that .NET's TLS client sets for `wirekit file get --tls` on this machine (bench/file.sh -t, bench/results/tls.md).
// usage: dotnet TlsReadProbe.dll PORT PATH   (127.0.0.1, any certificate accepted: a bench against a local server)
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

var port = int.Parse(args[0]);
using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
socket.Connect("127.0.0.1", port);
using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false, (_, _, _, _) => true);
tls.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = "localhost" });
tls.Write(Encoding.ASCII.GetBytes($"GET {args[1]} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));

var buffer = new byte[1024 * 1024];
long total = 0;
var clock = Stopwatch.StartNew();
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
for (int read; (read = tls.Read(buffer)) > 0;)
{
    total += read;
}

var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
Console.WriteLine($"{total} {clock.Elapsed.TotalSeconds:F3} {cpu.TotalSeconds:F3} {tls.SslProtocol}");

using System.Net;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Tls;

/// <summary>
/// `openssl s_client` as a real peer: it verifies the server against the CA file it is given (the self-signed
/// certificate itself), optionally shows a client certificate, and is driven line by line through its stdin.
/// </summary>
internal sealed class OpenSslClient : IAsyncDisposable
{
    private readonly ChildProcess _child;

    private OpenSslClient(ChildProcess child) => _child = child;

    public static string? Binary => ExternalServer.Find("openssl");

    public string Output => _child.Output;

    public static OpenSslClient Start(IPEndPoint server, string caFile, string? certificate = null, string? key = null)
    {
        string[] commandLine =
        [
            Binary!, "s_client", "-quiet", "-connect", server.ToString(), "-servername", "localhost",
            "-CAfile", caFile, "-verify_return_error", "-verify_hostname", "localhost",
        ];
        if (certificate is not null)
        {
            commandLine = [.. commandLine, "-cert", certificate, "-key", key!];
        }

        return new OpenSslClient(ChildProcess.Start(commandLine));
    }

    public async Task WriteLineAsync(string line)
    {
        await _child.Input.WriteAsync(line + "\n");
        await _child.Input.FlushAsync();
    }

    /// <summary>Waits for <paramref name="line"/> among what openssl printed (the server's bytes, decrypted).</summary>
    public async Task WaitForLineAsync(string line)
    {
        await Deadline.UntilAsync(() => Lines().Contains(line) || _child.HasExited, $"openssl to print '{line}'");
        Assert.Contains(line, Lines());
    }

    private string[] Lines() => Output.Split('\n');

    public ValueTask DisposeAsync() => _child.DisposeAsync();
}

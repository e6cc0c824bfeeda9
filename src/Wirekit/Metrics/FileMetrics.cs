using System.Diagnostics;
using Wirekit.Engines;
using Wirekit.Transfer;

namespace Wirekit.Metrics;

/// <summary>The file server's feed into <see cref="Instruments"/>: content bytes sent, and requests by code and result.</summary>
internal sealed class FileMetrics
{
    /// <summary>Until the handler's server starts: counts nothing.</summary>
    public static readonly FileMetrics None = new(null);

    // A label per known code, made once, so a request allocates nothing for its tags; whatever else a client sends is
    // "other": a code read from the wire must not mint a new series each.
    private static readonly string[] CodeNames = Enumerable.Range(0, 256)
        .Select(code => Enum.IsDefined((FileCommandCode)code) ? ServerTags.Snake((FileCommandCode)code) : "other").ToArray();

    private readonly TagList _tags;
    private readonly bool _tagged;

    private FileMetrics(IServer? server)
    {
        if (server is not null)
        {
            _tags = ServerTags.Of(server, "file");
            _tagged = true;
        }
    }

    public static FileMetrics For(IServer server) => new(server);

    public void SentFile(long bytes)
    {
        if (_tagged && Instruments.FileBytesSent.Enabled)
        {
            Instruments.FileBytesSent.Add(bytes, _tags);
        }
    }

    /// <param name="code">The request's command code as read; codes the protocol does not define count as "other".</param>
    /// <param name="result">ok, error (answered CMD_ERROR) or failed (the connection ended in it).</param>
    public void Request(int code, string result)
    {
        if (_tagged && Instruments.FileRequests.Enabled)
        {
            var tags = _tags;
            tags.Add("code", (uint)code < CodeNames.Length ? CodeNames[code] : "other");
            tags.Add("result", result);
            Instruments.FileRequests.Add(1, tags);
        }
    }
}

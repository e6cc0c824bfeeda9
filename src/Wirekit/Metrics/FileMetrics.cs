using Wirekit.Engines;
using Wirekit.Transfer;

namespace Wirekit.Metrics;

/// <summary>The file server's feed into <see cref="Instruments"/>: content bytes sent, and requests by code and result.</summary>
internal sealed class FileMetrics : ServiceMetrics
{
    /// <summary>Until the handler's server starts: counts nothing.</summary>
    public static readonly FileMetrics None = new(null);

    // A label per known code, made once, so a request allocates nothing for its tags; whatever else a client sends is
    // "other": a code read from the wire must not mint a new series each.
    private static readonly string[] CodeNames = Enumerable.Range(0, 256)
        .Select(code => Enum.IsDefined((FileCommandCode)code) ? ServerTags.Snake((FileCommandCode)code) : "other").ToArray();

    private FileMetrics(IServer? server)
        : base(server, "file")
    {
    }

    public static FileMetrics For(IServer server) => new(server);

    public void SentFile(long bytes)
    {
        if (IsTagged && Instruments.FileBytesSent.Enabled)
        {
            Instruments.FileBytesSent.Add(bytes, Tags);
        }
    }

    /// <param name="code">The request's command code as read; codes the protocol does not define count as "other".</param>
    /// <param name="result">ok, error (answered CMD_ERROR) or failed (the connection ended in it).</param>
    public void Request(int code, string result)
    {
        if (IsTagged && Instruments.FileRequests.Enabled)
        {
            Instruments.FileRequests.Add(1, With("code", (uint)code < CodeNames.Length ? CodeNames[code] : "other", "result", result));
        }
    }
}

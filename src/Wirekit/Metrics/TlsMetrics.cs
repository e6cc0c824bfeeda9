using Wirekit.Tls;

namespace Wirekit.Metrics;

/// <summary>The TLS layer's feed into <see cref="Instruments"/>: handshakes completed, and failed ones by reason.</summary>
internal static class TlsMetrics
{
    private static readonly string[] FailureReasons = Enum.GetValues<TlsHandshakeFailure>().Select(ServerTags.Snake).ToArray();

    public static void Succeeded(ServerMetrics server)
    {
        if (Instruments.TlsHandshakes.Enabled)
        {
            Instruments.TlsHandshakes.Add(1, server.Tags);
        }
    }

    public static void Failed(ServerMetrics server, TlsHandshakeFailure failure)
    {
        if (Instruments.TlsHandshakeFailures.Enabled)
        {
            Instruments.TlsHandshakeFailures.Add(1, server.With("reason", FailureReasons[(int)failure]));
        }
    }
}

namespace Wirekit.Tls;

/// <summary>
/// Recognises the first bytes of a TLS client on a plaintext port: a handshake record (content type 0x16) with a
/// record version 3.0 to 3.4 (SSL 3 .. TLS 1.3 clients all send 03 01..03 04 here). Text protocols never start so
/// (0x16 is a control character), so a plaintext server can tell a person "this client speaks TLS" instead of
/// echoing its ClientHello or announcing it as a chat member.
/// </summary>
internal static class TlsClientHello
{
    private const byte HandshakeRecord = 0x16;
    private const byte MajorVersion = 0x03;
    private const byte HighestMinorVersion = 0x04;

    /// <summary>
    /// True when <paramref name="first"/>, the first bytes a peer sent, open a TLS handshake record. Needs the three
    /// bytes of type and version: a first read shorter than that (a ClientHello is one segment in practice) is not judged.
    /// </summary>
    public static bool Opens(ReadOnlySpan<byte> first)
        => first.Length >= 3 && first[0] == HandshakeRecord && first[1] == MajorVersion && first[2] <= HighestMinorVersion;
}

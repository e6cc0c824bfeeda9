namespace Wirekit.Tls;

/// <summary>
/// Recognises the first bytes of a TLS client on a plaintext port: a handshake record (content type 0x16, record
/// version 3.0 to 3.4, a length a record may have) whose first message is a ClientHello (type 1, a length that fits
/// the record, client version 3.x). Eleven bytes of structure: text protocols never start so (0x16 is a control
/// character), and a binary echo payload that happens to start 16 03 (the echo tests' client 790 does) is not taken
/// for one. A plaintext server can then tell a person "this client speaks TLS" instead of echoing its ClientHello
/// or announcing it as a chat member.
/// </summary>
internal static class TlsClientHello
{
    /// <summary>Record header (5) + handshake header (4) + client_version (2).</summary>
    public const int BytesNeeded = 11;

    private const byte HandshakeRecord = 0x16;
    private const byte ClientHelloMessage = 0x01;
    private const int MaxRecordLength = 16384 + 2048; // TLSPlaintext may not exceed 2^14; ciphertext 2^14 + 2048

    /// <summary>
    /// True when <paramref name="first"/>, the first bytes a peer sent, open a TLS ClientHello. A first read shorter
    /// than <see cref="BytesNeeded"/> is not judged (a ClientHello is one segment of 200 bytes or more in practice).
    /// </summary>
    public static bool Opens(ReadOnlySpan<byte> first)
    {
        if (first.Length < BytesNeeded || first[0] != HandshakeRecord || !IsVersion3(first[1], first[2]))
        {
            return false;
        }

        var recordLength = (first[3] << 8) | first[4];
        var helloLength = (first[6] << 16) | (first[7] << 8) | first[8];
        return recordLength is >= 4 + 2 and <= MaxRecordLength
            && first[5] == ClientHelloMessage
            && helloLength >= 2 && helloLength <= recordLength - 4
            && IsVersion3(first[9], first[10]);
    }

    private static bool IsVersion3(byte major, byte minor) => major == 0x03 && minor <= 0x04;
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wirekit.Tls;

/// <summary>
/// A certificate's SHA-256 fingerprint (of its DER bytes), the value `wirekit cert create` and `serve --tls` print and
/// clients pin with `--pin`. Printed as openssl prints it (<c>openssl x509 -noout -fingerprint -sha256</c>:
/// uppercase hex pairs joined by colons), so a person can compare the two by eye. Parsing is lenient about what
/// people paste: colons or none, any case, an optional <c>sha256:</c> or <c>sha256 Fingerprint=</c> prefix.
/// </summary>
public readonly record struct CertificateFingerprint
{
    private const int Length = 32;

    private readonly byte[]? _hash;

    private CertificateFingerprint(byte[] hash) => _hash = hash;

    /// <summary>The 32 bytes of the SHA-256 hash.</summary>
    public ReadOnlySpan<byte> Hash => _hash;

    public static CertificateFingerprint Of(X509Certificate certificate)
        => new(SHA256.HashData(certificate.GetRawCertData()));

    /// <summary>Reads a pasted fingerprint; false (and a reason a person can act on) when it is not 32 hex bytes.</summary>
    public static bool TryParse(string text, out CertificateFingerprint fingerprint, out string error)
    {
        fingerprint = default;
        var value = text.Trim();
        foreach (var prefix in new[] { "sha256 fingerprint=", "sha256:", "sha256=" })
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                value = value[prefix.Length..];
                break;
            }
        }

        var hex = value.Replace(":", "", StringComparison.Ordinal);
        if (hex.Length != Length * 2 || !hex.All(char.IsAsciiHexDigit))
        {
            error = $"'{text}' is not a SHA-256 fingerprint (64 hex digits, colons allowed, as `wirekit cert create` prints it)";
            return false;
        }

        fingerprint = new CertificateFingerprint(Convert.FromHexString(hex));
        error = "";
        return true;
    }

    public bool Matches(X509Certificate certificate)
        => _hash is not null && CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(certificate.GetRawCertData()));

    public bool Equals(CertificateFingerprint other) => Hash.SequenceEqual(other.Hash);

    public override int GetHashCode() => _hash is null ? 0 : BitConverter.ToInt32(_hash, 0);

    /// <summary>AB:CD:...: 32 uppercase hex pairs joined by colons.</summary>
    public override string ToString() => _hash is null ? "" : Convert.ToHexString(_hash).Chunk(2).Select(pair => new string(pair)).Aggregate((a, b) => a + ":" + b);
}

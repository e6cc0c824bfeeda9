using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Wirekit.Tls;

/// <summary>
/// The client's verdict on a server certificate, from what SslStream found (policy errors and the chain it built):
/// accepted, or the one reason a person needs to read. A pin or --insecure replaces the chain and name checks; a
/// certificate failing several checks is reported by the first of: dates, trust, name (a date or trust problem is
/// not fixed by connecting under another name).
/// </summary>
internal static class ClientCertificateCheck
{
    /// <summary>Null when the certificate is accepted, else why not.</summary>
    public static ClientTlsException? Judge(ClientTlsOptions options, string expectedName, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (options.Insecure)
        {
            return null;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return new(ClientTlsFailure.Untrusted, "the server sent no certificate");
        }

        if (options.Pin is { } pin)
        {
            return pin.Matches(certificate)
                ? null
                : new(ClientTlsFailure.PinMismatch, $"certificate does not match the pinned fingerprint (it is {CertificateFingerprint.Of(certificate)})");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            return ChainProblem(certificate as X509Certificate2 ?? new X509Certificate2(certificate), chain);
        }

        return errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
            ? new(ClientTlsFailure.NameMismatch, $"certificate is for {NamesOf(certificate)}, not '{expectedName}'")
            : null;
    }

    private static ClientTlsException ChainProblem(X509Certificate2 leaf, X509Chain? chain)
    {
        var elements = chain?.ChainElements.ToArray() ?? [];
        foreach (var element in elements)
        {
            if (element.ChainElementStatus.Any(s => s.Status == X509ChainStatusFlags.NotTimeValid))
            {
                var whose = ReferenceEquals(element, elements[0]) ? "certificate" : $"issuer certificate '{element.Certificate.Subject}'";
                var certificate = element.Certificate;
                return certificate.NotBefore > DateTime.Now
                    ? new(ClientTlsFailure.Expired, $"{whose} is not valid before {Day(certificate.NotBefore)}")
                    : new(ClientTlsFailure.Expired, $"{whose} expired on {Day(certificate.NotAfter)}");
            }
        }

        var flags = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status) ?? X509ChainStatusFlags.NoError;
        if (flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            return leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData) && elements.Length <= 1
                ? new(ClientTlsFailure.SelfSigned, "self-signed certificate")
                : new(ClientTlsFailure.UnknownIssuer, $"unknown issuer '{leaf.Issuer}'");
        }

        var detail = chain?.ChainStatus.Select(s => s.StatusInformation.Trim()).FirstOrDefault(s => s.Length > 0) ?? "the chain does not verify";
        return new(ClientTlsFailure.Untrusted, $"certificate not trusted: {detail.TrimEnd('.')}");
    }

    /// <summary>'localhost' and '127.0.0.1': the names a client may connect to (subject alternative names, else the CN).</summary>
    private static string NamesOf(X509Certificate certificate)
    {
        var full = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        var names = new List<string>();
        foreach (var extension in full.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            names.AddRange(extension.EnumerateDnsNames());
            names.AddRange(extension.EnumerateIPAddresses().Select(ip => ip.ToString()));
        }

        if (names.Count == 0 && full.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } commonName)
        {
            names.Add(commonName);
        }

        if (names.Count == 0)
        {
            return "no name at all";
        }

        var quoted = names.Distinct().Select(n => $"'{n}'").ToList();
        return quoted.Count == 1 ? quoted[0] : string.Join(", ", quoted[..^1]) + " and " + quoted[^1];
    }

    private static string Day(DateTime local) => local.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The name to verify: an IPv6 literal without its brackets, as certificates hold it.</summary>
    public static string Normalize(string host)
        => IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? ip.ToString() : host;
}

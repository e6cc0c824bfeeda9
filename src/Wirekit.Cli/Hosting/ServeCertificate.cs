using System.Net;
using System.Security.Cryptography.X509Certificates;
using Wirekit.Tls;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// `serve --tls` without a certificate: one self-signed certificate made on first use and kept in Wirekit's data
/// folder, so its fingerprint (what clients pin) stays the same from one run to the next. Remade only when it has
/// expired or cannot be read.
/// </summary>
internal static class ServeCertificate
{
    private const int Days = 365;

    /// <summary>$XDG_DATA_HOME/wirekit/tls when set, else wirekit-tls-USER in the temp folder; readable by its owner only.</summary>
    public static string Folder()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? Path.Join(xdg, "wirekit", "tls")
            : Path.Join(Path.GetTempPath(), $"wirekit-tls-{Environment.UserName}");
    }

    /// <summary>The kept certificate, or a new one; <paramref name="note"/> says which, for the banner.</summary>
    public static X509Certificate2 LoadOrCreate(string folder, out string note)
    {
        var certificatePath = Path.Join(folder, SelfSignedCertificate.CertificateFileName);
        var keyPath = Path.Join(folder, SelfSignedCertificate.KeyFileName);
        string why;
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            try
            {
                var kept = TlsCertificateFiles.LoadServerCertificate(certificatePath, keyPath);
                note = $"TLS certificate from {folder} (made by an earlier `serve --tls`)";
                return kept;
            }
            catch (TlsCertificateException e)
            {
                why = $" (the one there could not serve: {e.Message})";
            }
        }
        else
        {
            why = "";
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using (var made = SelfSignedCertificate.Create(["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback], Days))
        {
            SelfSignedCertificate.Write(made, folder);
        }

        note = $"made a self-signed TLS certificate in {folder}{why}; the next `serve --tls` uses it again";
        return TlsCertificateFiles.LoadServerCertificate(certificatePath, keyPath);
    }
}

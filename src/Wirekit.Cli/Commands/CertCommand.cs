using System.CommandLine;
using System.Net;
using Wirekit.Cli.Invocation;
using Wirekit.Tls;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit cert create`: a self-signed server certificate and key, and the fingerprint clients pin.</summary>
internal static class CertCommand
{
    public static Command Create()
    {
        var command = new Command("cert",
            "Certificates for TLS. A certificate binds a public key to names (localhost, 127.0.0.1); a TLS server proves it holds " +
            "the matching private key, so a client that trusts the certificate knows it reached the right server.");
        command.Subcommands.Add(CreateCreate());
        return command;
    }

    private static Command CreateCreate()
    {
        var names = new Option<string[]>("--name")
        {
            Description = "Host name the certificate is for (repeat for more); the first is also its subject (CN). Clients check the name they connected to against these.",
            DefaultValueFactory = _ => ["localhost"],
            HelpName = "host",
        };
        var addresses = new Option<string[]>("--ip")
        {
            Description = "IP address the certificate is for (repeat for more), for clients that connect by address.",
            DefaultValueFactory = _ => ["127.0.0.1", "::1"],
            HelpName = "address",
        };
        addresses.Validators.Add(result =>
        {
            foreach (var text in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!IPAddress.TryParse(text, out _))
                {
                    result.AddError($"--ip must be an IP address such as 127.0.0.1 or ::1, not '{text}'");
                    return;
                }
            }
        });
        var days = new Option<int>("--days") { Description = "How many days the certificate is valid; clients refuse it after.", DefaultValueFactory = _ => 365 }.Checked(1);
        var output = new Option<string>("--output", "-o") { Description = $"Folder to write {SelfSignedCertificate.CertificateFileName} and {SelfSignedCertificate.KeyFileName} into (made if missing).", HelpName = "folder", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace a certificate and key already in the folder (clients that pinned the old one will refuse the new one)." };
        var json = CommonOptions.Json();
        var command = new Command("create",
            "Make a self-signed certificate (ECDSA P-256) and its private key as PEM files, and print the certificate's SHA-256 " +
            "fingerprint. Self-signed: no authority vouches for it, so clients trust it by its fingerprint (a pin: `--pin`, like " +
            "ssh's known hosts) or by being given cert.pem as their CA. Serve with it: `wirekit echo serve --tls-cert DIR/cert.pem --tls-key DIR/key.pem`.")
        {
            names, addresses, days, output, force, json,
        };
        command.SetAction(parse =>
        {
            var created = Run(parse.GetValue(names)!, parse.GetValue(addresses)!.Select(IPAddress.Parse).ToArray(), parse.GetValue(days), parse.GetValue(output)!, parse.GetValue(force));
            Console.Out.WriteLine(parse.GetValue(json) ? CliJson.Serialize(created) : Describe(created));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Makes and writes the certificate; refuses to replace one unless <paramref name="force"/>.</summary>
    internal static Created Run(string[] names, IPAddress[] addresses, int days, string folder, bool force)
    {
        var certificatePath = Path.Combine(folder, SelfSignedCertificate.CertificateFileName);
        var keyPath = Path.Combine(folder, SelfSignedCertificate.KeyFileName);
        if (!force && (File.Exists(certificatePath) || File.Exists(keyPath)))
        {
            throw new CommandFailure($"{folder} already holds a certificate or key: pass --force to replace them, or choose another --output");
        }

        using var certificate = SelfSignedCertificate.Create(names, addresses, days);
        try
        {
            SelfSignedCertificate.Write(certificate, folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailure($"cannot write into {folder}: {e.Message}");
        }

        return new Created(
            Path.GetFullPath(certificatePath), Path.GetFullPath(keyPath), certificate.Subject, names, addresses.Select(a => a.ToString()).ToArray(),
            certificate.NotAfter.ToUniversalTime(), CertificateFingerprint.Of(certificate).ToString());
    }

    private static string Describe(Created created) =>
        $"""
        wrote {created.Certificate}
          and {created.Key} (the private key: readable by you only; keep it so)
        for {string.Join(", ", created.Names.Concat(created.Addresses))}, valid until {created.NotAfter:yyyy-MM-dd} UTC
        SHA-256 fingerprint {created.Fingerprint}
        serve:   wirekit chat serve --tls-cert {created.Certificate} --tls-key {created.Key}
        connect: openssl s_client -CAfile {created.Certificate} -connect 127.0.0.1:{DefaultPorts.Chat}   (or a client's --pin with the fingerprint)
        """;

    /// <summary>What `cert create --json` prints (docs/json.md).</summary>
    internal sealed record Created(string Certificate, string Key, string Subject, string[] Names, string[] Addresses, DateTime NotAfter, string Fingerprint);
}

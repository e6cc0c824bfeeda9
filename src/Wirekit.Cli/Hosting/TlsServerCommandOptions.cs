using System.CommandLine;
using System.Net;
using Wirekit.Cli.Invocation;
using Wirekit.Engines;
using Wirekit.Tls;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// The TLS options of every server command (`--tls-cert`, `--tls-key`, `--tls-password-file`, `--tls-client-ca`),
/// and what a TLS server says at start. A bad certificate or key is one `error:` line and exit 2, before anything
/// listens; an engine that cannot carry TLS is refused at parse time, from the capability table.
/// </summary>
internal sealed class TlsServerCommandOptions
{
    private readonly Option<string>? _engine;

    /// <param name="engine">The command's `--engine`, refused at parse time when it cannot carry TLS; null for `serve`,
    /// which moves each server to the nearest engine that can instead.</param>
    public TlsServerCommandOptions(Option<string>? engine)
    {
        _engine = engine;
        Certificate = new Option<string?>("--tls-cert")
        {
            Description = "Serve TLS with this certificate: clients then get encryption (nobody on the path reads or changes the bytes) " +
                "and proof they reached this server and not an impostor. PEM (with --tls-key, or a file holding both) or PKCS#12 " +
                "(.p12/.pfx, with --tls-password-file). Make one with `wirekit cert create`. Engines that carry TLS: " +
                string.Join(", ", EngineCapabilities.EnginesFor(EngineFeatures.Tls).Select(EngineOption.Name)) + ".",
            HelpName = "file",
        };
        Key = new Option<string?>("--tls-key") { Description = "The certificate's private key (PEM), when it is not in the --tls-cert file. Keep it readable by you only.", HelpName = "file" };
        PasswordFile = new Option<string?>("--tls-password-file")
        {
            Description = "File whose first line is the password of a PKCS#12 --tls-cert (a file, not an option, so the password stays out of `ps` and shell history).",
            HelpName = "file",
        };
        ClientAuthority = new Option<string?>("--tls-client-ca")
        {
            Description = "Mutual TLS: every client must present a certificate issued by this authority (PEM); others fail the handshake. " +
                "The server then knows who each client is, not only that the bytes are private.",
            HelpName = "file",
        };
    }

    public Option<string?> Certificate { get; }

    public Option<string?> Key { get; }

    public Option<string?> PasswordFile { get; }

    public Option<string?> ClientAuthority { get; }

    /// <param name="selfSigned">`serve --tls`: TLS with a certificate made for the purpose, so the others may go without --tls-cert.</param>
    public void AddTo(Command command, Option<bool>? selfSigned = null)
    {
        foreach (var option in new[] { Certificate, Key, PasswordFile, ClientAuthority })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (result.GetValue(Certificate) is null && (selfSigned is null || !result.GetValue(selfSigned)))
            {
                foreach (var dependent in new[] { Key, PasswordFile, ClientAuthority })
                {
                    if (result.GetValue(dependent) is not null)
                    {
                        result.AddError($"{dependent.Name} needs --tls-cert: it is part of the server's TLS setup");
                        return;
                    }
                }

                return;
            }

            if (_engine is not null && result.GetValue(_engine) is { } name && Enum.TryParse<EngineKind>(name, ignoreCase: true, out var engine)
                && EngineCapabilities.WhyNot(engine, EngineFeatures.Tls) is { } why)
            {
                result.AddError($"--engine {EngineOption.Name(engine)}: {why}; use {string.Join(" or ", EngineCapabilities.EnginesFor(EngineFeatures.Tls).Select(EngineOption.Name))} with --tls-cert");
            }
        });
    }

    /// <summary>`chat serve --name-from-cert`: needs --tls-client-ca, since only a verified certificate may name a member.</summary>
    public Option<bool> NameFromCertificateOption()
    {
        var option = new Option<bool>("--name-from-cert")
        {
            Description = "Name each member by its client certificate's common name (CN), and turn /nick off: with --tls-client-ca, " +
                "a name then proves who is speaking, since only the holder of that certificate's key can join under it.",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValue(option) && result.GetValue(ClientAuthority) is null)
            {
                result.AddError("--name-from-cert needs --tls-client-ca: names come from client certificates, which only mutual TLS asks for");
            }
        });
        return option;
    }

    /// <summary>The TLS options given, loaded and checked; null for a plaintext server. Exit 2 on a bad file.</summary>
    public TlsServerOptions? Read(ParseResult parse)
        => parse.GetValue(Certificate) is { } certificate
            ? Load(() => TlsCertificateFiles.LoadServerCertificate(certificate, parse.GetValue(Key), parse.GetValue(PasswordFile)), parse)
            : null;

    /// <summary>The TLS options with the server certificate <paramref name="certificate"/> gives and the client CA given.</summary>
    public TlsServerOptions Load(Func<System.Security.Cryptography.X509Certificates.X509Certificate2> certificate, ParseResult parse)
    {
        try
        {
            return new TlsServerOptions
            {
                Certificate = certificate(),
                ClientCertificateAuthorities = parse.GetValue(ClientAuthority) is { } authority ? TlsCertificateFiles.LoadAuthorities(authority) : null,
            };
        }
        catch (TlsCertificateException e)
        {
            throw CommandFailure.Usage(e.Message);
        }
    }

    /// <summary>
    /// The line under a TLS server's "listening on": that TLS is on, and the fingerprint a person compares or pins
    /// (a self-signed certificate has no authority behind it: its fingerprint is how a client knows it).
    /// </summary>
    public static string Banner(TlsServerOptions tls)
        => $"  TLS on: {tls.Certificate.Subject}, SHA-256 fingerprint {CertificateFingerprint.Of(tls.Certificate)}"
           + (tls.ClientCertificateAuthorities is null ? "" : "; clients need a certificate from the --tls-client-ca authority");

    /// <summary>
    /// How to reach a server: for a line server under TLS, openssl's client (netcat cannot speak TLS); otherwise the
    /// launch's own hint, which words a Wirekit client's TLS options itself (<see cref="ClientOptions"/>).
    /// </summary>
    public static string ReachHint(ServerLaunch launch, IPEndPoint endPoint)
        => launch.Options.Tls is not null && launch.ReachHint == ServerLaunch.NetcatHint
            ? $"openssl s_client -quiet -connect {endPoint}"
            : launch.ReachHint(endPoint);

    /// <summary>` --tls --pin FINGERPRINT`, what a Wirekit client adds to reach this server; empty without TLS.</summary>
    public static string ClientOptions(TlsServerOptions? tls)
        => tls is null ? "" : $" --tls --pin {CertificateFingerprint.Of(tls.Certificate)}";
}

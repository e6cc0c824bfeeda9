using System.CommandLine;
using Wirekit.Cli.Invocation;
using Wirekit.Tls;

namespace Wirekit.Cli.Commands;

/// <summary>
/// The TLS options every client command takes (echo connect, chat join, file list|get, bench echo|chat|connections),
/// added by each in one line (<see cref="AddTo"/>) and read in one (<see cref="Read"/>). This is also the one place
/// that words a TLS failure's remedy in these flags: the library states what is wrong, the CLI says what to pass.
/// </summary>
internal sealed class TlsClientOptions
{
    public const string InsecureWarning = "warning: --insecure: the server's identity is not checked";

    private TlsClientOptions()
    {
    }

    public Option<bool> Tls { get; } = new("--tls")
    {
        Description = "Talk TLS (1.2 or 1.3) to the server. Its certificate must be signed by a CA this system trusts and name the host " +
            "you connect to; see --ca, --pin and --insecure for servers with their own certificates.",
    };

    public Option<string?> Ca { get; } = new("--ca")
    {
        HelpName = "file",
        Description = "Trust the CA certificate(s) in this PEM file instead of the system's (a private or test CA). Implies --tls.",
    };

    public Option<string?> Pin { get; } = new("--pin")
    {
        HelpName = "sha256",
        Description = "Trust exactly the server certificate with this SHA-256 fingerprint, as printed by `wirekit cert create` or " +
            "`openssl x509 -noout -fingerprint -sha256`; its names, issuer and dates are not checked (like an ssh known host). Implies --tls.",
    };

    public Option<bool> Insecure { get; } = new("--insecure")
    {
        Description = "Accept any certificate: the traffic is encrypted but anyone in the middle can pose as the server. For a quick test only; " +
            "each run warns on stderr. Implies --tls.",
    };

    public Option<string?> Cert { get; } = new("--cert")
    {
        HelpName = "file",
        Description = "PEM certificate to show a server that asks for one (mutual TLS); with --key, unless this file holds the key too. Implies --tls.",
    };

    public Option<string?> Key { get; } = new("--key")
    {
        HelpName = "file",
        Description = "PEM private key of --cert.",
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public static TlsClientOptions AddTo(Command command)
    {
        var options = new TlsClientOptions();
        foreach (var option in new Option[] { options.Tls, options.Ca, options.Pin, options.Insecure, options.Cert, options.Key })
        {
            command.Options.Add(option);
        }

        return options;
    }

    /// <summary>
    /// The TLS to use, or null for plaintext. Conflicting flags are a usage error (exit 2), unreadable files a failure
    /// (exit 1); --insecure warns on <paramref name="errors"/> (stderr) every time.
    /// </summary>
    public ClientTls? Read(ParseResult parse, TextWriter? errors = null) => Read(parse, errors, resumption: true);

    /// <summary>
    /// For the benches: the handshake each connection runs, verifying the server as <paramref name="host"/>, or null
    /// for plaintext. Every handshake is a full one (no session resumption), as `openssl s_time -new` measures.
    /// </summary>
    public Wirekit.Bench.TlsHandshake? ReadHandshake(ParseResult parse, string host) => ReadHandshake(parse, _ => host);

    /// <summary>As above, for benches that load several servers: each connection's server is verified as <paramref name="hostOf"/> names it.</summary>
    public Wirekit.Bench.TlsHandshake? ReadHandshake(ParseResult parse, Func<System.Net.Sockets.Socket, string> hostOf)
        => Read(parse, errors: null, resumption: false) is { } tls ? (socket, ct) => tls.AuthenticateAsync(socket, hostOf(socket), ct) : null;

    private ClientTls? Read(ParseResult parse, TextWriter? errors, bool resumption)
    {
        var ca = parse.GetValue(Ca);
        var pin = parse.GetValue(Pin);
        var insecure = parse.GetValue(Insecure);
        var cert = parse.GetValue(Cert);
        var key = parse.GetValue(Key);
        if (!parse.GetValue(Tls) && ca is null && pin is null && !insecure && cert is null)
        {
            return key is null ? null : throw CommandFailure.Usage("--key goes with --cert (the certificate it belongs to)");
        }

        if (insecure && (pin is not null || ca is not null))
        {
            throw CommandFailure.Usage($"--insecure checks nothing, so {(pin is not null ? "--pin" : "--ca")} would be ignored: choose one");
        }

        if (pin is not null && ca is not null)
        {
            throw CommandFailure.Usage("--pin trusts exactly one certificate, so --ca would be ignored: choose one");
        }

        if (key is not null && cert is null)
        {
            throw CommandFailure.Usage("--key goes with --cert (the certificate it belongs to)");
        }

        CertificateFingerprint? pinned = null;
        if (pin is not null)
        {
            pinned = CertificateFingerprint.TryParse(pin, out var fingerprint, out var problem) ? fingerprint : throw CommandFailure.Usage($"--pin: {problem}");
        }

        if (insecure)
        {
            (errors ?? Console.Error).WriteLine(InsecureWarning);
        }

        try
        {
            return ClientTls.Load(new ClientTlsOptions { CaFile = ca, Pin = pinned, Insecure = insecure, CertificateFile = cert, KeyFile = key, AllowResumption = resumption });
        }
        catch (ClientTlsException e)
        {
            throw Failure(e);
        }
    }

    /// <summary>The one `error:` line for a TLS failure, with the flag that fixes it where there is one.</summary>
    public static string Describe(ClientTlsException e) => e.Failure switch
    {
        ClientTlsFailure.SelfSigned => $"{e.Message}: pass --ca FILE or --pin SHA256",
        ClientTlsFailure.UnknownIssuer => $"{e.Message}: pass --ca FILE with the CA that issued it, or --pin SHA256",
        ClientTlsFailure.ClientCertificateRequired => $"{e.Message}: pass --cert FILE --key FILE",
        _ => e.Message,
    };

    public static CommandFailure Failure(ClientTlsException e) => new(Describe(e));

    /// <summary>The TLS failure that ended a receive loop, if that is what ended it (a refusal that arrives after the handshake).</summary>
    public static ClientTlsException? FailureOf(Task receive)
        => receive.IsFaulted ? receive.Exception.InnerExceptions.OfType<ClientTlsException>().FirstOrDefault() : null;
}

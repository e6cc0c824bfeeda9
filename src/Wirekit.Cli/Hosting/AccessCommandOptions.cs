using System.CommandLine;
using System.CommandLine.Parsing;
using Wirekit.Access;
using Wirekit.Cli.Commands;
using Wirekit.Engines;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// Access control and slow starts on every server command (docs/access-control.md): `--allow`/`--deny` CIDR blocks,
/// `--max-per-ip` and `--handshake-timeout`. Declared once; <see cref="Read"/> adds them to a command's
/// <see cref="ServerOptions"/>.
/// </summary>
internal static class AccessCommandOptions
{
    private const string AllowName = "--allow";
    private const string DenyName = "--deny";
    private const string MaxPerIpName = "--max-per-ip";
    private const string HandshakeTimeoutName = "--handshake-timeout";

    /// <summary>The CLI's servers cut slow starts off after 10 s (the library leaves it off unless asked).</summary>
    private const double DefaultHandshakeSeconds = 10;

    /// <summary>Adds the four options to <paramref name="command"/>; read them back with <see cref="Read"/>.</summary>
    public static void AddTo(Command command)
    {
        command.Options.Add(Rule(AllowName,
            "Admit only clients whose address is in this CIDR block; repeat it for several. A CIDR block is an address and how many of its " +
            "leading bits must match: 192.168.1.0/24 is 192.168.1.0 to 192.168.1.255, 10.0.0.0/8 every 10.x.x.x, 127.0.0.2 one address, " +
            "::1 the IPv6 loopback. Once any --allow is given, every other address is refused."));
        command.Options.Add(Rule(DenyName,
            "Refuse clients whose address is in this CIDR block, even when an --allow matches it (deny wins): --allow 10.0.0.0/8 --deny 10.0.0.66 " +
            "admits the 10 network but one host. A refused client gets the service's notice saying why, where it has one, and is closed; the " +
            "server logs one line per address per minute."));
        var maxPerIp = new Option<int>(MaxPerIpName)
        {
            Description = "Most connections one client address may hold at once, so a single host cannot take every slot (e.g. 10). One more " +
                "from that address is refused; everyone else is still served. 0: no such limit.",
            DefaultValueFactory = _ => 0,
            HelpName = "count",
        };
        maxPerIp.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out var count) && count < 0)
            {
                result.AddError($"{MaxPerIpName}: {count} is not a number of connections (0 or more; 0 means no limit)");
            }
        });
        command.Options.Add(maxPerIp);
        command.Options.Add(CommonOptions.Seconds(HandshakeTimeoutName, DefaultHandshakeSeconds,
            "Seconds a new connection has to show it is a real client: complete its TLS handshake when TLS is on, then send its first complete " +
            "request (a line for chat, a request for file, a byte for echo). Connections that stay silent or trickle (a slowloris attack) are " +
            "closed after it, so they cannot hold slots. 0 turns it off."));
    }

    /// <summary><paramref name="options"/> with the access settings the command line gave.</summary>
    public static ServerOptions Read(ParseResult parse, ServerOptions options) => options with
    {
        Access = AccessPolicy.Parse(parse.GetValue<string[]>(AllowName) ?? [], parse.GetValue<string[]>(DenyName) ?? []),
        MaxConnectionsPerAddress = parse.GetValue<int>(MaxPerIpName),
        HandshakeTimeout = TimeSpan.FromSeconds(parse.GetValue<double>(HandshakeTimeoutName)),
    };

    private static Option<string[]> Rule(string name, string description)
    {
        var option = new Option<string[]>(name)
        {
            Description = description,
            HelpName = "cidr",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                try
                {
                    AddressRule.Parse(token.Value);
                }
                catch (FormatException e)
                {
                    result.AddError($"{name} {e.Message}");
                    return;
                }
            }
        });
        return option;
    }
}

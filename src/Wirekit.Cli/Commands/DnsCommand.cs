using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using Wirekit.Cli.Invocation;
using Wirekit.Diagnostics;

namespace Wirekit.Cli.Commands;

/// <summary>
/// `wirekit dns`: a name through the system resolver (what gethostbyname/getaddrinfo return), and, for record types
/// or an explicit server, a direct query with DnsClient (the framework's resolver only does addresses and host names).
/// </summary>
internal static class DnsCommand
{
    internal static readonly string[] RecordTypes = ["A", "AAAA", "MX", "TXT", "CNAME", "NS", "PTR", "SRV", "SOA"];

    internal sealed record Settings(string Name, string? Type, string? Server, double TimeoutSeconds, bool Json);

    /// <summary>One answer record. The system resolver does not say how long an answer may be cached: Ttl is null then.</summary>
    internal sealed record Answer(
        string Name,
        string Type,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] int? Ttl,
        string Data);

    /// <summary>The --json document (docs/json.md): what was asked, of whom, and the answers.</summary>
    internal sealed record Result(string Name, string Type, string Resolver, IReadOnlyList<Answer> Answers);

    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Host or domain name to look up, or an IP address for a reverse (PTR) lookup." };
        var typeWord = new Argument<string?>("type")
        {
            Description = $"Record type to ask for, as dig takes it: {string.Join(", ", RecordTypes)}. Without it (and " +
                          "without --server) the system resolver answers with addresses, as a program calling getaddrinfo sees them.",
            Arity = ArgumentArity.ZeroOrOne,
            HelpName = "type",
        };
        typeWord.Validators.Add(result => RejectUnknownType(result.Tokens.Select(t => t.Value), "type", result.AddError));
        var type = new Option<string?>("--type") { Description = "The record type, for those who prefer an option to the second word." };
        type.HelpName = "type";
        type.Validators.Add(result => RejectUnknownType(result.Tokens.Select(t => t.Value), "--type", result.AddError));
        var server = new Option<string?>("--server")
        {
            Description = "Ask this DNS server directly, as HOST[:PORT] (port 53 if left out; [::1]:53 for IPv6), instead " +
                          "of the servers in the system's configuration. Shows what one server answers, with TTLs.",
            HelpName = "host[:port]",
        };
        var timeout = CommonOptions.Timeout();
        timeout.Description = "Give up when the lookup has taken this many seconds (a query to a silent server is retried once within it).";
        var json = CommonOptions.Json();
        var command = new Command("dns",
            "Resolve a name (or reverse-resolve an IP address) and print the answers with their type and TTL. " +
            "`wirekit dns example.org MX --server 1.1.1.1` asks one server for one record type, as dig does.")
        {
            name, typeWord, type, server, timeout, json,
        };
        command.SetAction((parse, ct) =>
        {
            if (parse.GetValue(typeWord) is not null && parse.GetValue(type) is not null)
            {
                throw CommandFailure.Usage("give the record type once: as the second word or as --type");
            }

            return RunAsync(
                new Settings(parse.GetValue(name)!, parse.GetValue(typeWord) ?? parse.GetValue(type), parse.GetValue(server),
                    parse.GetValue(timeout), parse.GetValue(json)),
                Console.Out, ct);
        });
        return command;
    }

    private static void RejectUnknownType(IEnumerable<string> values, string what, Action<string> addError)
    {
        foreach (var value in values.Where(v => !RecordTypes.Contains(v.ToUpperInvariant())))
        {
            addError($"{what} must be one of {string.Join(", ", RecordTypes)} (not '{value}')");
        }
    }

    /// <summary>Looks up and prints; every failure is a <see cref="CommandFailure"/> (one line, or a JSON error under --json).</summary>
    internal static async Task<int> RunAsync(Settings settings, TextWriter output, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(settings.Name))
        {
            // The system resolver answers "" with this host's own addresses: never what was meant.
            throw CommandFailure.Usage("an empty name cannot be looked up; give a host name or an IP address");
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            var direct = settings.Type is not null || settings.Server is not null;
            var server = settings.Server is null ? null : await ParseServerAsync(settings.Server, limit.Token);
            var answers = direct
                ? await QueryAsync(settings, server, limit.Token)
                : await SystemResolveAsync(settings.Name, limit.Token);
            var type = settings.Type?.ToUpperInvariant() ?? (IPAddress.TryParse(settings.Name, out _) ? "PTR" : direct ? "A" : "address");
            Print(output, settings, new Result(settings.Name, type,
                server?.ToString() ?? (direct ? "configured servers" : "system resolver"), answers));
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CommandFailure($"{settings.Name}: no answer within {settings.TimeoutSeconds} s (timeout)");
        }
        catch (DnsResponseException e)
        {
            throw new CommandFailure($"{settings.Name}: {Describe(e)}");
        }
        catch (SocketException e)
        {
            throw new CommandFailure($"{settings.Name}: {Describe(e.SocketErrorCode)}");
        }
        catch (ArgumentException e)
        {
            // DnsClient refuses names that cannot be encoded (empty labels, labels over 63 bytes).
            throw new CommandFailure($"'{settings.Name}' is not a valid DNS name: {e.Message}");
        }
    }

    private static async Task<IReadOnlyList<Answer>> SystemResolveAsync(string name, CancellationToken ct)
    {
        if (IPAddress.TryParse(name, out var address))
        {
            var entry = await Dns.GetHostEntryAsync(address.ToString(), ct);
            return [new Answer(name, "PTR", null, entry.HostName)];
        }

        var addresses = await Dns.GetHostAddressesAsync(name, ct);
        return addresses
            .Select(a => new Answer(name, a.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A", null, a.ToString()))
            .ToList();
    }

    private static async Task<IReadOnlyList<Answer>> QueryAsync(Settings settings, IPEndPoint? server, CancellationToken ct)
    {
        var options = server is null ? new LookupClientOptions() : new LookupClientOptions(server);
        options.Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        options.Retries = 1;
        options.UseCache = false;
        // Errors come back as response codes we report ourselves rather than as exceptions.
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = false;
        var client = new LookupClient(options);

        var reverse = IPAddress.TryParse(settings.Name, out var address);
        var type = Enum.Parse<QueryType>(settings.Type ?? (reverse ? "PTR" : "A"), ignoreCase: true);
        var response = reverse && type == QueryType.PTR
            ? await client.QueryReverseAsync(address!, ct)
            : await client.QueryAsync(settings.Name, type, QueryClass.IN, ct);

        if (response.HasError)
        {
            var code = response.Header.ResponseCode;
            throw new CommandFailure(code == DnsHeaderResponseCode.NotExistentDomain
                ? $"{settings.Name}: no such name (NXDOMAIN) at {response.NameServer}"
                : $"{settings.Name}: server {response.NameServer} answered {code} ({response.ErrorMessage})");
        }

        return response.Answers
            .Select(r => new Answer(r.DomainName.Value.TrimEnd('.'), r.RecordType.ToString(), r.TimeToLive, DataOf(r)))
            .ToList();
    }

    private static string DataOf(DnsClient.Protocol.DnsResourceRecord record) => record switch
    {
        DnsClient.Protocol.ARecord a => a.Address.ToString(),
        DnsClient.Protocol.AaaaRecord a => a.Address.ToString(),
        DnsClient.Protocol.MxRecord mx => $"{mx.Preference} {mx.Exchange.Value.TrimEnd('.')}",
        DnsClient.Protocol.TxtRecord txt => string.Join(" ", txt.Text.Select(t => $"\"{t}\"")),
        DnsClient.Protocol.CNameRecord cname => cname.CanonicalName.Value.TrimEnd('.'),
        DnsClient.Protocol.NsRecord ns => ns.NSDName.Value.TrimEnd('.'),
        DnsClient.Protocol.PtrRecord ptr => ptr.PtrDomainName.Value.TrimEnd('.'),
        DnsClient.Protocol.SrvRecord srv => $"{srv.Priority} {srv.Weight} {srv.Port} {srv.Target.Value.TrimEnd('.')}",
        DnsClient.Protocol.SoaRecord soa => $"{soa.MName} {soa.RName} {soa.Serial} {soa.Refresh} {soa.Retry} {soa.Expire} {soa.Minimum}",
        _ => record.ToString(),
    };

    /// <summary>--server as HOST[:PORT]: a malformed one is a usage error; a name is resolved once, here.</summary>
    private static async Task<IPEndPoint> ParseServerAsync(string text, CancellationToken ct)
    {
        var server = ServerAddress.Parse(text, 53);
        try
        {
            return await new HostPort(server.Host, server.Port).ResolveAsync(server.Port, ct);
        }
        catch (SocketException e)
        {
            throw new CommandFailure($"--server: cannot resolve '{server.Host}': {Describe(e.SocketErrorCode)}");
        }
    }

    private static void Print(TextWriter output, Settings settings, Result result)
    {
        if (settings.Json)
        {
            output.WriteLine(CliJson.Serialize(result));
            return;
        }

        if (result.Answers.Count == 0)
        {
            output.WriteLine($"(no {result.Type} records for {settings.Name})");
            return;
        }

        // Columns sized to what they hold, headers in capitals as ss and dig print them; '-' is a TTL nobody told us.
        var nameWidth = Math.Max("NAME".Length, result.Answers.Max(a => a.Name.Length));
        var typeWidth = Math.Max("TYPE".Length, result.Answers.Max(a => a.Type.Length));
        output.WriteLine($"{"NAME".PadRight(nameWidth)}  {"TYPE".PadRight(typeWidth)}  {"TTL",7}  DATA");
        foreach (var answer in result.Answers)
        {
            output.WriteLine($"{answer.Name.PadRight(nameWidth)}  {answer.Type.PadRight(typeWidth)}  {answer.Ttl?.ToString() ?? "-",7}  {answer.Data}");
        }
    }

    private static string Describe(SocketError code) => code switch
    {
        SocketError.HostNotFound => "no such name (NXDOMAIN)",
        SocketError.TryAgain => "temporary failure: the resolver got no answer (timeout or server failure)",
        SocketError.NoData => "the name exists but has no addresses",
        _ => $"lookup failed ({code})",
    };

    private static string Describe(DnsResponseException e) => e.Code switch
    {
        DnsResponseCode.ConnectionTimeout => "no answer from the server (timeout, or nothing listens there)",
        _ => e.Message,
    };
}

using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DnsClient;
using Wirekit.Diagnostics;

namespace Wirekit.Cli.Commands;

/// <summary>
/// `wirekit dns`: the seed's gethostbyname through the system resolver, and, for record types or an explicit
/// server, a direct query with DnsClient (the framework's resolver only does addresses and host names).
/// </summary>
internal static class DnsCommand
{
    internal static readonly string[] RecordTypes = ["A", "AAAA", "MX", "TXT", "CNAME", "NS", "PTR", "SRV", "SOA"];

    internal sealed record Settings(string Name, string? Type, string? Server, double TimeoutSeconds, bool Json);

    internal sealed record Answer(string Name, string Type, int Ttl, string Data);

    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Host or domain name to look up, or an IP address for a reverse (PTR) lookup." };
        var type = new Option<string?>("--type", "-t")
        {
            Description = $"Record type to ask for ({string.Join(", ", RecordTypes)}). Without it the system resolver " +
                          "answers with addresses, as a program calling getaddrinfo would see them.",
        };
        type.HelpName = string.Join('|', RecordTypes);
        type.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !RecordTypes.Contains(value.ToUpperInvariant()))
            {
                result.AddError($"--type must be one of {string.Join(", ", RecordTypes)} (not '{value}')");
            }
        });
        var server = new Option<string?>("--server", "-s")
        {
            Description = "Ask this DNS server (IP[:PORT], port 53 by default) directly instead of the system's configuration.",
        };
        var timeout = CommonOptions.Timeout();
        var json = CommonOptions.Json();
        var command = new Command("dns", "Resolve a name (or reverse-resolve an IP address) and print the answers.")
        {
            name, type, server, timeout, json,
        };
        command.SetAction((parse, ct) => RunAsync(
            new Settings(parse.GetValue(name)!, parse.GetValue(type), parse.GetValue(server), parse.GetValue(timeout), parse.GetValue(json)),
            Console.Out, Console.Error, ct));
        return command;
    }

    internal static async Task<int> RunAsync(Settings settings, TextWriter output, TextWriter error, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            var answers = settings.Type is null && settings.Server is null
                ? await SystemResolveAsync(settings.Name, limit.Token)
                : await QueryAsync(settings, limit.Token);
            Print(output, settings, answers);
            return 0;
        }
        catch (LookupFailedException e)
        {
            error.WriteLine($"error: {e.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            error.WriteLine($"error: {settings.Name}: no answer within {settings.TimeoutSeconds} s (timeout)");
        }
        catch (DnsResponseException e)
        {
            error.WriteLine($"error: {settings.Name}: {Describe(e)}");
        }
        catch (SocketException e)
        {
            error.WriteLine($"error: {settings.Name}: {Describe(e.SocketErrorCode)}");
        }
        catch (ArgumentException e)
        {
            // DnsClient refuses names that cannot be encoded (empty labels, labels over 63 bytes).
            error.WriteLine($"error: '{settings.Name}' is not a valid DNS name: {e.Message}");
        }

        return 1;
    }

    private static async Task<IReadOnlyList<Answer>> SystemResolveAsync(string name, CancellationToken ct)
    {
        if (IPAddress.TryParse(name, out var address))
        {
            var entry = await Dns.GetHostEntryAsync(address.ToString(), ct);
            return [new Answer(name, "PTR", 0, entry.HostName)];
        }

        var addresses = await Dns.GetHostAddressesAsync(name, ct);
        return addresses
            .Select(a => new Answer(name, a.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A", 0, a.ToString()))
            .ToList();
    }

    private static async Task<IReadOnlyList<Answer>> QueryAsync(Settings settings, CancellationToken ct)
    {
        var options = settings.Server is null ? new LookupClientOptions() : new LookupClientOptions(ParseServer(settings.Server));
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
            throw new LookupFailedException(code == DnsHeaderResponseCode.NotExistentDomain
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

    private static IPEndPoint ParseServer(string text)
    {
        if (!HostPort.TryParse(text, out var parsed, out var problem))
        {
            throw new LookupFailedException($"--server: {problem}");
        }

        if (!IPAddress.TryParse(parsed.Value.Host, out var address))
        {
            throw new LookupFailedException($"--server: '{parsed.Value.Host}' is not an IP address");
        }

        return new IPEndPoint(address, parsed.Value.Port ?? 53);
    }

    private static void Print(TextWriter output, Settings settings, IReadOnlyList<Answer> answers)
    {
        if (settings.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(answers, new JsonSerializerOptions
            {
                WriteIndented = true,
                PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            }));
            return;
        }

        if (answers.Count == 0)
        {
            output.WriteLine($"(no {settings.Type ?? "address"} records for {settings.Name})");
            return;
        }

        foreach (var answer in answers)
        {
            output.WriteLine($"{answer.Name,-32} {answer.Type,-6} {answer.Ttl,7}  {answer.Data}");
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

    private sealed class LookupFailedException(string message) : Exception(message);
}

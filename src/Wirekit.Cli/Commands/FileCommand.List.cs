using System.CommandLine;
using System.Globalization;
using Wirekit.Cli.Invocation;
using Wirekit.Transfer;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit file list [host[:port]]`: the server's files as a table, or as JSON.</summary>
internal static partial class FileCommand
{
    /// <summary>The table's columns, laid out as the rows below (sizes right-aligned, the rest left).</summary>
    private static readonly string ListHeader = $"{"SIZE",15}  {"MODIFIED",-19}  {"XXH128",-32}  NAME";

    private static Command CreateList()
    {
        var server = ServerAddress.Argument(DefaultPorts.File);
        var classic = new Option<bool>("--classic")
        {
            Description = "Ask with the classic list (names and 32-bit sizes only, what simple C clients use) instead of the modern one with times and hashes.",
        };
        var token = Token();
        var json = CommonOptions.Json();
        var timeout = CommonOptions.IdleTimeout(30);
        var command = new Command("list", "List the files a Wirekit file server offers: size, modification time and XXH128 (the hash `file get` verifies).")
        {
            server, classic, token, json, timeout,
        };
        var tls = TlsClientOptions.AddTo(command);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var address = ServerAddress.Read(parse.GetValue(server), DefaultPorts.File);
            var options = new FileClientOptions
            {
                Host = address.Host, Port = address.Port, Classic = parse.GetValue(classic), Token = parse.GetValue(token),
                Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)), Tls = tls.Read(parse),
            };
            return await ListAsync(Console.Out, Console.Error, options, parse.GetValue(json), ct);
        });
        return command;
    }

    /// <summary>Prints the list; a failure is a <see cref="CommandFailure"/> (one `error:` line, and the JSON error object under --json).</summary>
    internal static async Task<int> ListAsync(TextWriter output, TextWriter errors, FileClientOptions options, bool asJson, CancellationToken ct)
    {
        IReadOnlyList<FileEntry> entries;
        try
        {
            entries = await new FileTransferClient(options).ListAsync(ct);
        }
        catch (FileTransferException e)
        {
            throw new CommandFailure(e.InnerException is Wirekit.Tls.ClientTlsException tls ? TlsClientOptions.Describe(tls) : e.Message);
        }

        if (asJson)
        {
            // The classic list has no times and no hashes: those keys are left out rather than made up.
            await output.WriteLineAsync(CliJson.Serialize(entries.Select(e => new FileEntryJson(
                e.Name,
                e.Size,
                options.Classic ? null : DateTimeOffset.FromUnixTimeMilliseconds(e.LastWriteUnixMs),
                options.Classic ? null : e.HashHex)).ToList()));
            return ExitCodes.Success;
        }

        await output.WriteLineAsync(ListHeader);
        foreach (var e in entries)
        {
            var modified = options.Classic ? "-" : DateTimeOffset.FromUnixTimeMilliseconds(e.LastWriteUnixMs).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            await output.WriteLineAsync($"{e.Size,15:N0}  {modified,-19}  {(options.Classic ? "-" : e.HashHex),-32}  {e.Name}");
        }

        await output.WriteLineAsync($"{entries.Count} file(s){(options.Classic ? " (classic list: no times or hashes)" : string.Empty)}");
        return ExitCodes.Success;
    }

    private static Option<string?> Token() => new("--token") { Description = "The token of a server started with --token (sent in clear text)." };

    /// <summary>One file of `file list --json` (docs/json.md); the classic list has no time and no hash.</summary>
    internal sealed record FileEntryJson(string Name, long Size, DateTimeOffset? Modified, string? Xxh128);
}

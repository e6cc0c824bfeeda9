using System.CommandLine;
using Wirekit.Cli.Invocation;
using Wirekit.Diagnostics;

namespace Wirekit.Cli.Commands;

/// <summary>`wirekit ports`: who holds which TCP/UDP port (like `ss -tuanp`, or `netstat -ano` on Windows).</summary>
internal static class PortsCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "Only sockets whose local or remote port is this one, e.g. to see who holds a server's port." }.Checked(1);
        var listening = new Option<bool>("--listening", "-l")
        {
            Description = "Only TCP listeners and bound UDP sockets: what is waiting for clients.",
        };
        var json = CommonOptions.Json();
        var timeout = CommonOptions.Timeout();
        timeout.Description = "Give up if reading the socket tables takes longer than this many seconds.";
        var command = new Command("ports",
            "List TCP and UDP sockets with state, local and remote endpoints and the owning PID and process " +
            "(read from /proc/net and /proc/PID/fd on Linux). Processes of other users show without a PID unless run as root. " +
            "On Windows and macOS the sockets come from the OS's own table, without the owning process.")
        {
            port, listening, json, timeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            int? only = parse.GetResult(port) is { Implicit: false } ? parse.GetValue(port) : null;
            var work = Task.Run(() => Run(Console.Out, Console.Error, only, parse.GetValue(listening), parse.GetValue(json)), ct);
            try
            {
                return await work.WaitAsync(TimeSpan.FromSeconds(parse.GetValue(timeout)), ct);
            }
            catch (TimeoutException)
            {
                throw new CommandFailure("reading the socket tables timed out");
            }
        });
        return command;
    }

    internal static int Run(TextWriter output, TextWriter error, int? port, bool listeningOnly, bool asJson)
    {
        if (!SocketTable.KnowsOwners && !asJson)
        {
            error.WriteLine(OperatingSystem.IsWindows()
                ? "note: no process names here (they come from Linux's /proc); `netstat -ano` shows the PID of each socket"
                : "note: no process names here (they come from Linux's /proc); `lsof -i -n -P` shows the process of each socket");
        }

        var entries = SocketTable.Read(port, listeningOnly)
            .OrderBy(e => e.Protocol).ThenBy(e => e.Local.Port).ThenBy(e => e.Remote.Port).ToList();
        if (asJson)
        {
            output.WriteLine(CliJson.Serialize(entries.Select(e => new SocketJson(
                e.Protocol, e.State, e.Local.ToString(), e.Remote.ToString(), e.Pid, e.ProcessName, e.Uid, e.Inode)).ToList()));
            return 0;
        }

        output.WriteLine($"{"PROTO",-6} {"STATE",-12} {"LOCAL",-28} {"REMOTE",-28} {"PID/PROCESS"}");
        foreach (var e in entries)
        {
            var owner = e.Pid is { } pid ? $"{pid}/{e.ProcessName}" : "-";
            output.WriteLine($"{e.Protocol,-6} {e.State,-12} {e.Local,-28} {e.Remote,-28} {owner}");
        }

        if (entries.Count == 0)
        {
            output.WriteLine(port is null ? "(no sockets)" : $"(no socket uses port {port})");
        }

        return 0;
    }

    /// <summary>One socket under --json (docs/json.md).</summary>
    internal sealed record SocketJson(string Protocol, string State, string Local, string Remote, int? Pid, string? Process, int Uid, long Inode);
}

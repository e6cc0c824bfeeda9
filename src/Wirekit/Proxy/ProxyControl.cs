namespace Wirekit.Proxy;

/// <summary>
/// The runtime commands, one line each, one line back: <c>add [up|down] FAULT [VALUE]</c>, <c>remove [up|down]
/// FAULT|all</c>, <c>list</c>, <c>cut</c>, <c>restore</c>, <c>help</c>. They act on every connection at once,
/// open ones included. A bad line gets an <c>error: ...</c> reply and changes nothing.
/// </summary>
internal static class ProxyControl
{
    public const string Help = "commands: add [up|down] FAULT [VALUE], remove [up|down] FAULT|all, list, cut, restore (faults: latency, bandwidth, slice, limit-data, reset-after, blackhole-after, slow-close, corrupt, stall-reads)";

    public static string Execute(ProxyFaultTable table, string line, int active)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            return Help;
        }

        var verb = words[0].ToLowerInvariant();
        var (direction, rest) = words.Length > 1 && TryDirection(words[1], out var d) ? (d, words[2..]) : ((ProxyDirection?)null, words[1..]);
        switch (verb)
        {
            case "list":
                return List(table, active);
            case "cut":
                table.SetCut(true);
                return "ok: cut (nothing is read or forwarded until restore)";
            case "restore":
                table.SetCut(false);
                return "ok: restored";
            case "help":
                return Help;
            case "add" when rest.Length is 1 or 2:
                return Add(table, direction, rest[0], rest.Length == 2 ? rest[1] : null);
            case "remove" when rest.Length == 1:
                return Remove(table, direction, rest[0]);
            case "add" or "remove":
                return $"error: usage: {verb} [up|down] FAULT{(verb == "add" ? " [VALUE]" : "|all")}";
            default:
                return $"error: unknown command '{words[0]}'; {Help}";
        }
    }

    private static string Add(ProxyFaultTable table, ProxyDirection? direction, string name, string? value)
    {
        // Checked once on an empty set first, so a bad value changes neither direction.
        if (!FaultSyntax.TryApply(ProxyFaults.None, name, value, out _, out var error))
        {
            return $"error: {error}";
        }

        table.Update(direction, faults => FaultSyntax.TryApply(faults, name, value, out var changed, out _) ? changed : faults);
        return $"ok: {Side(direction)}{name}{(value is null ? string.Empty : " " + value)}";
    }

    private static string Remove(ProxyFaultTable table, ProxyDirection? direction, string name)
    {
        if (name.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            table.Update(direction, _ => ProxyFaults.None);
            return $"ok: {Side(direction)}no faults";
        }

        if (!FaultSyntax.TryClear(ProxyFaults.None, name, out _))
        {
            return $"error: unknown fault '{name}'";
        }

        table.Update(direction, faults => FaultSyntax.TryClear(faults, name, out var cleared) ? cleared : faults);
        return $"ok: {Side(direction)}{name} removed";
    }

    private static string List(ProxyFaultTable table, int active)
        => $"up: {Shown(table[ProxyDirection.Up])}; down: {Shown(table[ProxyDirection.Down])}; cut: {(table.Cut ? "yes" : "no")}; connections: {active}";

    private static string Shown(ProxyFaults faults) => faults.Describe() is { Count: > 0 } on ? string.Join(", ", on) : "none";

    private static string Side(ProxyDirection? direction) => direction switch
    {
        ProxyDirection.Up => "up ",
        ProxyDirection.Down => "down ",
        _ => string.Empty,
    };

    private static bool TryDirection(string word, out ProxyDirection? direction)
    {
        direction = word.ToLowerInvariant() switch
        {
            "up" => ProxyDirection.Up,
            "down" => ProxyDirection.Down,
            _ => null,
        };
        return direction is not null;
    }
}

using System.Text.Json;

namespace Wirekit.Plots;

/// <summary>
/// One bench script's JSON (bench/lib.sh tsv_to_json): which bench made it (<c>kind</c>), the command, the machine,
/// and its rows, one object per line of the script's results table. Numbers stay numbers; a cell left empty is null.
/// </summary>
internal sealed class BenchDocument
{
    private BenchDocument(string kind, string command, string machine, IReadOnlyList<BenchRow> rows)
    {
        Kind = kind;
        Command = command;
        Machine = machine;
        Rows = rows;
    }

    public string Kind { get; }

    public string Command { get; }

    public string Machine { get; }

    public IReadOnlyList<BenchRow> Rows { get; }

    public static BenchDocument Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException($"{path}: not a bench document (no \"kind\")");
        }

        if (!root.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: no \"rows\" array");
        }

        return new BenchDocument(
            kind.GetString()!,
            Text(root, "command") ?? "",
            Text(root, "machine") ?? "",
            [.. rows.EnumerateArray().Select(BenchRow.From)]);
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>One row: its cells by column name, as numbers or text.</summary>
internal sealed class BenchRow
{
    private readonly Dictionary<string, JsonElement> _cells;

    private BenchRow(Dictionary<string, JsonElement> cells) => _cells = cells;

    public static BenchRow From(JsonElement row)
        => row.ValueKind == JsonValueKind.Object
            ? new BenchRow(row.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()))
            : throw new InvalidDataException("a row that is not an object");

    /// <summary>The cell as a number, or null when it is empty, missing or text ("fail").</summary>
    public double? Number(string column)
        => _cells.TryGetValue(column, out var cell) && cell.ValueKind == JsonValueKind.Number ? cell.GetDouble() : null;

    /// <summary>The cell as text (a number as written), or "" when empty or missing.</summary>
    public string Text(string column)
        => _cells.TryGetValue(column, out var cell)
            ? cell.ValueKind switch { JsonValueKind.String => cell.GetString()!, JsonValueKind.Number => cell.GetRawText(), _ => "" }
            : "";
}

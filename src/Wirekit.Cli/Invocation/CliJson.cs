using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wirekit.Cli.Invocation;

/// <summary>
/// One JSON style for every command (docs/json.md): camelCase keys, nulls left out, enums as camelCase strings.
/// Results are indented documents; streams (udp listen, chat join) print one compact object per line.
/// </summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Document = Create(indented: true);

    public static readonly JsonSerializerOptions Line = Create(indented: false);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Document);

    public static string SerializeLine<T>(T value) => JsonSerializer.Serialize(value, Line);

    /// <summary>`{"error": {"message": ..., "exitCode": ...}}`: what a failed command prints on stdout under --json.</summary>
    public static string Error(string message, int exitCode)
        => Serialize(new { error = new { message, exitCode, kind = KindOf(exitCode) } });

    private static string KindOf(int exitCode) => exitCode switch
    {
        ExitCodes.Usage => "usage",
        ExitCodes.Interrupted => "interrupted",
        _ => "failure",
    };

    private static JsonSerializerOptions Create(bool indented) => new()
    {
        WriteIndented = indented,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        // Names and messages are printed for people and parsed by programs; neither wants "\u003C" for "<".
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

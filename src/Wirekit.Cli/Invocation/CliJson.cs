using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Wirekit.Cli.Invocation;

/// <summary>
/// One JSON style for every command (docs/json.md): camelCase keys, nulls left out, enums as strings. Results are
/// indented documents; streams (udp listen, chat join) print one compact object per line. The serializers are
/// generated at compile time (<see cref="CliJsonContext"/>), so the Native AOT binary prints the same JSON.
/// </summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Document = Create(indented: true);

    public static readonly JsonSerializerOptions Line = Create(indented: false);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, TypeInfo<T>(Document));

    public static string SerializeLine<T>(T value) => JsonSerializer.Serialize(value, TypeInfo<T>(Line));

    /// <summary>`{"error": {"message": ..., "exitCode": ..., "kind": ...}}`: what a failed command prints on stdout under --json.</summary>
    public static string Error(string message, int exitCode)
        => Serialize(new ErrorDocument(new ErrorBody(message, exitCode, KindOf(exitCode))));

    internal sealed record ErrorDocument(ErrorBody Error);

    internal sealed record ErrorBody(string Message, int ExitCode, string Kind);

    private static string KindOf(int exitCode) => exitCode switch
    {
        ExitCodes.Usage => "usage",
        ExitCodes.Interrupted => "interrupted",
        _ => "failure",
    };

    private static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options)
        => options.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not in CliJsonContext: add [JsonSerializable(typeof({typeof(T).Name}))] there");

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(CliJsonContext.Default.Options)
        {
            WriteIndented = indented,
            // Names and messages are printed for people and parsed by programs; neither wants "\u003C" for "<".
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = CliJsonContext.Default,
        };
        options.MakeReadOnly();
        return options;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Wirekit.Cli.Bench;
using Wirekit.Cli.Chat;
using Wirekit.Cli.Commands;
using Wirekit.Diagnostics;
using Wirekit.Engines;
using Wirekit.Proxy;

namespace Wirekit.Cli.Invocation;

/// <summary>
/// Every document the CLI prints under --json, known at compile time: System.Text.Json generates their
/// serializers, so the JSON is the same in the JIT build and in the Native AOT binary (which has no reflection
/// emit and trims what it cannot see used). A new --json document adds its type here; <see cref="CliJson"/> says
/// so plainly if one is missing; an enum in a document gets a <see cref="CamelCaseEnumConverter{T}"/> here (`"select"`,
/// as typed on the command line).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(CamelCaseEnumConverter<EngineKind>), typeof(CamelCaseEnumConverter<ProxyEnd>)])]
[JsonSerializable(typeof(CliJson.ErrorDocument))]
[JsonSerializable(typeof(CertCommand.Created))]
[JsonSerializable(typeof(List<PortsCommand.SocketJson>))]
[JsonSerializable(typeof(SocketOptionReport[]))]
[JsonSerializable(typeof(IReadOnlyList<AdapterReport>))]
[JsonSerializable(typeof(HttpCommand.Result), TypeInfoPropertyName = "HttpResult")]
[JsonSerializable(typeof(EchoBenchReport))]
[JsonSerializable(typeof(Hosting.StatusPage.StatusDocument))]
[JsonSerializable(typeof(ChatBenchReport))]
[JsonSerializable(typeof(ConnectionsBenchReport))]
[JsonSerializable(typeof(List<FtpCommand.ListEntry>))]
[JsonSerializable(typeof(FtpCommand.TransferResult))]
[JsonSerializable(typeof(UdpCommand.DatagramLine))]
[JsonSerializable(typeof(UdpCommand.TallyEnvelope))]
[JsonSerializable(typeof(EchoReplyJson))]
[JsonSerializable(typeof(DnsCommand.Result), TypeInfoPropertyName = "DnsResult")]
[JsonSerializable(typeof(List<FileCommand.FileEntryJson>))]
[JsonSerializable(typeof(List<FileCommand.FileGetJson>))]
[JsonSerializable(typeof(List<DiscoverCommand.ServerJson>))]
[JsonSerializable(typeof(ChatJsonLine))]
[JsonSerializable(typeof(ProxyStatsJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

/// <summary>An enum as the camelCase word people type (`select`), without the reflection the non-generic converter needs.</summary>
internal sealed class CamelCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase)
    where T : struct, Enum;

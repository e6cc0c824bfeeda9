using Wirekit.Cli.Invocation;

namespace Wirekit.Cli.Hosting;

/// <summary>
/// The status page at <c>/</c> of the metrics endpoint: one HTML file shipped inside the assembly (no CDN, no
/// script from elsewhere), which polls <c>/status.json</c> every second and draws the figures and a chart.
/// </summary>
internal static class StatusPage
{
    public static readonly byte[] Html = Load("Wirekit.Cli.Hosting.StatusPage.html");

    /// <summary>One row per running server, made from the same series a scrape shows.</summary>
    public static string Figures(IReadOnlyList<MetricsSeries> instruments)
    {
        var rows = new SortedDictionary<string, StatusRow>(StringComparer.Ordinal);
        foreach (var instrument in instruments)
        {
            foreach (var (key, value) in instrument.Snapshot())
            {
                if (key["server"] is not { } server || key["engine"] is not { } engine || key["port"] is not { } port)
                {
                    continue;
                }

                var id = $"{server} {engine} {port}";
                if (!rows.TryGetValue(id, out var row))
                {
                    rows[id] = row = new StatusRow(server, engine, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
                }

                row.Add(instrument.Instrument.Name, value);
            }
        }

        // The server's clock, not the browser's, times the rates: a page in a background tab (or a headless browser's
        // virtual time) polls late or early, and the change between two polls is still per real second.
        return CliJson.SerializeLine(new StatusDocument(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), [.. rows.Values.Where(row => row.Running)]));
    }

    private static byte[] Load(string name)
    {
        using var stream = typeof(StatusPage).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the status page ({name}) is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>`/status.json`: the server's clock (Unix ms) and a row per running server (docs/json.md).</summary>
    internal sealed record StatusDocument(long At, IReadOnlyList<StatusRow> Servers);

    /// <summary>A server's figures on the page: totals since it started; the page turns them into rates.</summary>
    internal sealed class StatusRow(string server, string engine, int port)
    {
        public string Server { get; } = server;

        public string Engine { get; } = engine;

        public int Port { get; } = port;

        public long Active { get; private set; }

        public long Accepted { get; private set; }

        public long Refused { get; private set; }

        public long Closed { get; private set; }

        public long BytesReceived { get; private set; }

        public long BytesSent { get; private set; }

        public long MessagesReceived { get; private set; }

        public long MessagesSent { get; private set; }

        public long ChatDeliveries { get; private set; }

        public long FileBytesSent { get; private set; }

        /// <summary>Mean outgoing queue, in bytes, over the messages queued since start.</summary>
        public long QueueMeanBytes { get; private set; }

        /// <summary>The sessions gauge lists only running servers: one that stopped is left off the page.</summary>
        internal bool Running { get; private set; }

        public void Add(string instrument, SeriesValue value)
        {
            var figure = Volatile.Read(ref value.Value);
            switch (instrument)
            {
                case "wirekit.connections.active": Active += figure; Running = true; break;
                case "wirekit.connections.accepted": Accepted += figure; break;
                case "wirekit.connections.refused": Refused += figure; break;
                case "wirekit.sessions.closed": Closed += figure; break;
                case "wirekit.bytes.received": BytesReceived += figure; break;
                case "wirekit.bytes.sent": BytesSent += figure; break;
                case "wirekit.messages.received": MessagesReceived += figure; break;
                case "wirekit.messages.sent": MessagesSent += figure; break;
                case "wirekit.chat.deliveries": ChatDeliveries += figure; break;
                case "wirekit.file.bytes.sent": FileBytesSent += figure; break;
                case "wirekit.outbound_queue.bytes":
                    var count = Volatile.Read(ref value.Count);
                    QueueMeanBytes = count == 0 ? 0 : Volatile.Read(ref value.Sum) / count;
                    break;
            }
        }
    }
}

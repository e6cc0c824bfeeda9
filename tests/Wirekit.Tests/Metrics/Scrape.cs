using System.Globalization;
using System.Text.RegularExpressions;
using Wirekit.Cli.Hosting;

namespace Wirekit.Tests.Metrics;

/// <summary>
/// A page of Prometheus text read back into figures: <see cref="Value"/> sums the samples of one name whose labels
/// include the ones asked for (0 when there are none), which is how a query would read them.
/// </summary>
internal sealed partial class Scrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    private Scrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(pair => pair.Groups[1].Value, pair => pair.Groups[2].Value);
            _samples.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
    }

    public string Text { get; }

    public static Scrape Parse(string text) => new(text);

    /// <summary>What `GET /metrics` of a collector in this process would answer.</summary>
    public static Scrape Of(MetricsCollector collector) => new(PrometheusText.Write(collector.Collect()));

    /// <summary>A synchronous GET, so it can be polled with <see cref="Infrastructure.Deadline.UntilAsync"/>.</summary>
    public static Scrape Get(HttpClient http, Uri metrics)
    {
        using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, metrics));
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return new Scrape(reader.ReadToEnd());
    }

    public long Value(string name, params (string Key, string Value)[] labels)
        => (long)_samples.Where(sample => sample.Name == name && labels.All(label => sample.Labels.TryGetValue(label.Key, out var value) && value == label.Value))
            .Sum(sample => sample.Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(\w+)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}

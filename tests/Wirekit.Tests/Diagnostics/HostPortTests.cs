using System.Net;
using Wirekit.Diagnostics;

namespace Wirekit.Tests.Diagnostics;

public sealed class HostPortTests
{
    [Theory]
    [InlineData("example.test", "example.test", null)]
    [InlineData("example.test:53", "example.test", 53)]
    [InlineData("10.0.0.1:5353", "10.0.0.1", 5353)]
    [InlineData("::1", "::1", null)]
    [InlineData("[::1]:53", "::1", 53)]
    [InlineData("[fe80::1]", "fe80::1", null)]
    public void Parses_what_people_type(string text, string host, int? port)
    {
        Assert.True(HostPort.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(new HostPort(host, port), parsed);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("host:99999", "port")]
    [InlineData("host:abc", "port")]
    [InlineData("[::1", "']'")]
    [InlineData("[::1]53", "':port'")]
    [InlineData(":53", "missing host")]
    public void Refuses_malformed_input_with_a_reason(string text, string reason)
    {
        Assert.False(HostPort.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public async Task An_ip_literal_resolves_without_a_lookup()
    {
        var endPoint = await new HostPort("127.0.0.1", null).ResolveAsync(25000, CancellationToken.None);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 25000), endPoint);
    }
}

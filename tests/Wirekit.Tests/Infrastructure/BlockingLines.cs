using System.Threading.Channels;

namespace Wirekit.Tests.Infrastructure;

/// <summary>Standard input whose lines the test supplies while the command runs; without <see cref="End"/> it never ends.</summary>
internal sealed class BlockingLines : TextReader
{
    private readonly Channel<string?> _lines = Channel.CreateUnbounded<string?>();

    public void Add(string line) => _lines.Writer.TryWrite(line);

    public void End() => _lines.Writer.TryWrite(null);

    public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => await _lines.Reader.ReadAsync(cancellationToken);
}

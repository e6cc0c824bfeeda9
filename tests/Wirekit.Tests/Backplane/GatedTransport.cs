using Wirekit.Chat.Backplane;
using Wirekit.Tests.Infrastructure;

namespace Wirekit.Tests.Backplane;

/// <summary>
/// A real transport whose receive path the test can hold: while <see cref="Close"/>d, the transport's reader
/// blocks in <see cref="IBackplaneReceiver.OnMessage"/> as a node that cannot keep up would (bounded by the
/// deadline), and everything else passes through.
/// </summary>
internal sealed class GatedTransport(IBackplaneTransport inner) : IBackplaneTransport
{
    private readonly ManualResetEventSlim _open = new(true);

    public string Description => inner.Description;

    public bool IsConnected => inner.IsConnected;

    public void Close() => _open.Reset();

    public void Open() => _open.Set();

    public Task ConnectAsync(IBackplaneReceiver receiver, CancellationToken cancellationToken) => inner.ConnectAsync(new Receiver(receiver, _open), cancellationToken);

    public ValueTask PublishAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) => inner.PublishAsync(message, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _open.Set();
        await inner.DisposeAsync();
        _open.Dispose();
    }

    private sealed class Receiver(IBackplaneReceiver node, ManualResetEventSlim open) : IBackplaneReceiver
    {
        public void OnMessage(ReadOnlySpan<byte> message)
        {
            if (!open.Wait(Deadline.Default))
            {
                throw new TimeoutException("the test never opened the gate");
            }

            node.OnMessage(message);
        }

        public void OnLost(string why) => node.OnLost(why);

        public void OnRestored() => node.OnRestored();

        public void OnStillUnusable(string why) => node.OnStillUnusable(why);

        public void OnSlowConsumer() => node.OnSlowConsumer();
    }
}

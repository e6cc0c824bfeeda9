using System.Buffers;
using Wirekit.Udp;

namespace Wirekit.Tests.Udp;

public sealed class LossTallyTests
{
    [Fact]
    public void Counts_loss_duplicates_and_reordering()
    {
        var tally = new LossTally();
        foreach (var sequence in new uint[] { 0, 2, 1, 2, 4 })
        {
            Assert.True(tally.Record(sequence, 6));
        }

        Assert.Equal(6u, tally.Expected);
        Assert.Equal(5, tally.Received);
        Assert.Equal(1, tally.Duplicates);
        Assert.Equal(1, tally.OutOfOrder);
        Assert.Equal(2, tally.Lost);
        Assert.False(tally.Complete);
    }

    [Theory]
    [InlineData(5u, 5u)]
    [InlineData(0u, 0u)]
    [InlineData(0u, LossTally.MaxTotal + 1)]
    public void Refuses_sequences_outside_the_run(uint sequence, uint total)
        => Assert.False(new LossTally().Record(sequence, total));

    [Fact]
    public void Header_round_trips_and_rejects_foreign_bytes()
    {
        var buffer = new byte[SequencedDatagram.HeaderLength + 3];
        SequencedDatagram.Write(buffer, 41, 1000);

        Assert.Equal(OperationStatus.Done, SequencedDatagram.TryRead(buffer, out var sequence, out var total));
        Assert.Equal((41u, 1000u), (sequence, total));
        Assert.Equal(OperationStatus.InvalidData, SequencedDatagram.TryRead("hello world!!"u8, out _, out _));
        Assert.Equal(OperationStatus.InvalidData, SequencedDatagram.TryRead(buffer.AsSpan(0, 5), out _, out _));
    }
}

namespace Wirekit.Udp;

/// <summary>
/// Counts numbered datagrams as they arrive and says how many were lost, duplicated or reordered.
/// UDP loses datagrams even on loopback when the receive buffer fills, so the count is reported, never assumed.
/// </summary>
public sealed class LossTally
{
    // One bit per sequence number; the total is bounded so a forged header cannot make us allocate gigabytes.
    public const uint MaxTotal = 10_000_000;

    private System.Collections.BitArray? _seen;
    private uint _highest;

    public uint Expected { get; private set; }
    public long Received { get; private set; }
    public long Duplicates { get; private set; }
    public long OutOfOrder { get; private set; }
    public long Lost => Math.Max(0, Expected - (Received - Duplicates));
    public double LossPercent => Expected == 0 ? 0 : 100.0 * Lost / Expected;

    /// <summary>Records one datagram; false when the sequence does not fit the run (wrong total or beyond the bound).</summary>
    public bool Record(uint sequence, uint total)
    {
        if (total == 0 || total > MaxTotal || sequence >= total)
        {
            return false;
        }

        if (_seen is null)
        {
            Expected = total;
            _seen = new System.Collections.BitArray((int)total);
        }
        else if (total != Expected)
        {
            return false;
        }

        Received++;
        if (_seen[(int)sequence])
        {
            Duplicates++;
            return true;
        }

        _seen[(int)sequence] = true;
        if (Received > 1 && sequence < _highest)
        {
            OutOfOrder++;
        }

        _highest = Math.Max(_highest, sequence);
        return true;
    }

    public bool Complete => Expected > 0 && Received - Duplicates == Expected;

    public string Summary()
        => $"received {Received - Duplicates} of {Expected} numbered datagrams, {Lost} lost ({LossPercent:0.##}%), " +
           $"{Duplicates} duplicate, {OutOfOrder} out of order";
}

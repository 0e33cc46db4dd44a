using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bmp;

/// <summary>
/// A Statistics Report (RFC 7854 s4.8): per-peer header, Stats Count (4), then that many counters.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                        Stats Count                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Stat Type             |          Stat Len             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                        Stat Data                              |
/// ~                                                               ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly ref struct StatisticsReport
{
    private const int CountersOffset = BmpCommonHeader.Size + PerPeerHeader.Size + 4;

    private readonly ReadOnlySpan<byte> _counters;

    private StatisticsReport(PerPeerHeader peer, uint count, ReadOnlySpan<byte> counters)
    {
        Peer = peer;
        Count = count;
        _counters = counters;
    }

    /// <summary>The per-peer header.</summary>
    public PerPeerHeader Peer { get; }

    /// <summary>Stats Count: the number of counters.</summary>
    public uint Count { get; }

    /// <summary>A reader over the counters (validated by <see cref="TryParse"/>).</summary>
    public StatisticsTlvReader GetTlvs() => new(_counters, CountersOffset, Count);

    /// <summary>Parses a whole Statistics Report and checks that all <see cref="Count"/> counters fit.</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out StatisticsReport report, out DecodeError error)
    {
        report = default;
        if (!BmpMessageBody.TryOpenPeer(message, out _, out var peer, out var body, out error))
        {
            return false;
        }

        if (!body.TryReadUInt32(out var count))
        {
            error = body.Error(DecodeErrorCode.Truncated, "statistics count");
            return false;
        }

        var counters = body.RemainingSpan;
        var reader = new StatisticsTlvReader(counters, CountersOffset, count);
        while (reader.TryRead(out _, out error))
        {
        }

        if (error.IsError)
        {
            return false;
        }

        report = new StatisticsReport(peer, count, counters);
        return true;
    }
}

using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bmp;

/// <summary>Reads the Stats Count counters of a Statistics Report; bytes after them are ignored.</summary>
public ref struct StatisticsTlvReader
{
    private WireReader _reader;
    private uint _left;

    /// <summary>Creates a reader of <paramref name="count"/> counters over <paramref name="tlvs"/>.</summary>
    public StatisticsTlvReader(ReadOnlySpan<byte> tlvs, int baseOffset, uint count)
    {
        _reader = new WireReader(tlvs, baseOffset);
        _left = count;
    }

    /// <summary>Reads the next counter. False after the last (error None) or on truncation.</summary>
    public bool TryRead(out StatisticsTlv tlv, out DecodeError error)
    {
        tlv = default;
        if (_left == 0)
        {
            error = default;
            return false;
        }

        var start = _reader.Offset;
        if (!_reader.TryReadUInt16(out var type) || !_reader.TryReadUInt16(out var length))
        {
            error = new DecodeError(DecodeErrorCode.Truncated, start, "statistics TLV header");
            _left = 0;
            return false;
        }

        if (!_reader.TryReadBytes(length, out var value))
        {
            error = new DecodeError(DecodeErrorCode.Truncated, start + 2, "statistics TLV length");
            _left = 0;
            return false;
        }

        _left--;
        tlv = new StatisticsTlv((StatisticsType)type, value, start);
        error = default;
        return true;
    }
}

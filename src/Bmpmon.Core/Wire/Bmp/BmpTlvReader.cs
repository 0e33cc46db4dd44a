using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bmp;

/// <summary>
/// Forward-only reader of consecutive BMP TLVs (RFC 7854 s4.4 layout, or the draft-ietf-grow-bmp-tlv
/// layout with an index). <see cref="TryRead"/> returns false at the end with no error, or on a
/// TLV that runs past its enclosing message with <see cref="DecodeErrorCode.Truncated"/>.
/// </summary>
public ref struct BmpTlvReader
{
    private WireReader _reader;
    private readonly bool _withIndex;
    private readonly int _skipOffset;

    /// <summary>Creates a reader over <paramref name="tlvs"/>, whose first byte sits at <paramref name="baseOffset"/> in the BMP message.</summary>
    /// <param name="tlvs">The TLV bytes.</param>
    /// <param name="baseOffset">Absolute offset of the first byte.</param>
    /// <param name="withIndex">True for BMP v4 Route Monitoring TLVs, which carry a 2-byte index.</param>
    /// <param name="skipOffset">Absolute offset of one TLV to leave out (the BGP Message TLV of a v4 Route Monitoring message), or -1.</param>
    public BmpTlvReader(ReadOnlySpan<byte> tlvs, int baseOffset, bool withIndex = false, int skipOffset = -1)
    {
        _reader = new WireReader(tlvs, baseOffset);
        _withIndex = withIndex;
        _skipOffset = skipOffset;
    }

    /// <summary>True when no byte is left.</summary>
    public readonly bool End => _reader.End;

    /// <summary>Reads the next TLV. False at the end (error None) or on a malformed TLV (error set).</summary>
    public bool TryRead(out BmpTlv tlv, out DecodeError error)
    {
        while (true)
        {
            if (_reader.End)
            {
                tlv = default;
                error = default;
                return false;
            }

            var start = _reader.Offset;
            ushort index = 0;
            if (!_reader.TryReadUInt16(out var type) || !_reader.TryReadUInt16(out var length) || (_withIndex && !_reader.TryReadUInt16(out index)))
            {
                tlv = default;
                error = new DecodeError(DecodeErrorCode.Truncated, start, "BMP TLV header");
                return false;
            }

            if (!_reader.TryReadBytes(length, out var value))
            {
                tlv = default;
                error = new DecodeError(DecodeErrorCode.Truncated, start, "BMP TLV value");
                return false;
            }

            if (start == _skipOffset)
            {
                continue;
            }

            tlv = new BmpTlv(type, value, start, index, _withIndex);
            error = default;
            return true;
        }
    }
}

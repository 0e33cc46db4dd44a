using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>
/// Walks a path attribute block (RFC 4271 s4.3):
/// <code>
/// +----------------+----------------+-----------------------+----------------
/// | Attr. Flags(1) | Attr. Type (1) | Length (1, or 2 when   | Value ...
/// |                |                | Extended Length is set)|
/// +----------------+----------------+-----------------------+----------------
/// </code>
/// An attribute whose header or value runs past the block ends the walk with an error: per
/// RFC 7606 s4 the rest of the block cannot be located, so the UPDATE is unusable.
/// </summary>
public ref struct PathAttributeReader
{
    private const string Where = "path attribute";
    private WireReader _reader;

    /// <summary>Creates a reader over <paramref name="attributes"/>, whose first byte sits at <paramref name="baseOffset"/> in the BMP message.</summary>
    public PathAttributeReader(ReadOnlySpan<byte> attributes, int baseOffset)
    {
        _reader = new WireReader(attributes, baseOffset);
    }

    /// <summary>True when every attribute has been read.</summary>
    public readonly bool End => _reader.End;

    /// <summary>
    /// Reads the next attribute. Returns false at the end of the block (<paramref name="error"/> has
    /// <see cref="DecodeErrorCode.None"/>) or on a truncated attribute (error set; the walk stops).
    /// </summary>
    public bool TryRead(out PathAttribute attribute, out DecodeError error)
    {
        attribute = default;
        error = default;
        if (_reader.End)
        {
            return false;
        }

        var start = _reader.Offset;
        if (!_reader.TryReadByte(out var flags) || !_reader.TryReadByte(out var type))
        {
            error = new DecodeError(DecodeErrorCode.Truncated, start, Where);
            return Stop();
        }

        var lengthOffset = _reader.Offset;
        int length;
        if ((flags & (byte)PathAttributeFlags.ExtendedLength) != 0)
        {
            if (!_reader.TryReadUInt16(out var l16))
            {
                error = new DecodeError(DecodeErrorCode.Truncated, lengthOffset, Where);
                return Stop();
            }

            length = l16;
        }
        else
        {
            if (!_reader.TryReadByte(out var l8))
            {
                error = new DecodeError(DecodeErrorCode.Truncated, lengthOffset, Where);
                return Stop();
            }

            length = l8;
        }

        var valueOffset = _reader.Offset;
        if (!_reader.TryReadBytes(length, out var value))
        {
            error = new DecodeError(DecodeErrorCode.Truncated, lengthOffset, Where);
            return Stop();
        }

        attribute = new PathAttribute((PathAttributeFlags)flags, type, value, start, valueOffset);
        return true;
    }

    private bool Stop()
    {
        // Never yield anything after a framing error: the following bytes are not attributes.
        _reader.TrySkip(_reader.Remaining);
        return false;
    }
}

using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Bmpmon.Core.Wire.Primitives;

/// <summary>
/// A forward-only big-endian reader over untrusted bytes. Every read checks the remaining length
/// and returns false rather than throwing; <see cref="Offset"/> gives the absolute position
/// (relative to the enclosing BMP message) for error reports.
/// </summary>
public ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly int _baseOffset;
    private int _position;

    /// <summary>Creates a reader over <paramref name="buffer"/>, whose first byte sits at <paramref name="baseOffset"/> in the enclosing message.</summary>
    public WireReader(ReadOnlySpan<byte> buffer, int baseOffset = 0)
    {
        _buffer = buffer;
        _baseOffset = baseOffset;
        _position = 0;
    }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes not yet consumed.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>True when every byte has been consumed.</summary>
    public readonly bool End => _position >= _buffer.Length;

    /// <summary>Absolute offset of the next byte within the enclosing message.</summary>
    public readonly int Offset => _baseOffset + _position;

    /// <summary>The bytes not yet consumed.</summary>
    public readonly ReadOnlySpan<byte> RemainingSpan => _buffer[_position..];

    /// <summary>Reads one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadByte(out byte value)
    {
        if ((uint)_position >= (uint)_buffer.Length)
        {
            value = 0;
            return false;
        }

        value = _buffer[_position++];
        return true;
    }

    /// <summary>Reads a big-endian 16-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUInt16(out ushort value)
    {
        if (BinaryPrimitives.TryReadUInt16BigEndian(_buffer[_position..], out value))
        {
            _position += 2;
            return true;
        }

        return false;
    }

    /// <summary>Reads a big-endian 24-bit value (MPLS labels, EVPN Ethernet tags in some encodings).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUInt24(out uint value)
    {
        if (Remaining < 3)
        {
            value = 0;
            return false;
        }

        var s = _buffer.Slice(_position, 3);
        value = (uint)(s[0] << 16 | s[1] << 8 | s[2]);
        _position += 3;
        return true;
    }

    /// <summary>Reads a big-endian 32-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUInt32(out uint value)
    {
        if (BinaryPrimitives.TryReadUInt32BigEndian(_buffer[_position..], out value))
        {
            _position += 4;
            return true;
        }

        return false;
    }

    /// <summary>Reads a big-endian 64-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUInt64(out ulong value)
    {
        if (BinaryPrimitives.TryReadUInt64BigEndian(_buffer[_position..], out value))
        {
            _position += 8;
            return true;
        }

        return false;
    }

    /// <summary>Takes the next <paramref name="count"/> bytes as a span without copying.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadBytes(int count, out ReadOnlySpan<byte> value)
    {
        if (count < 0 || count > Remaining)
        {
            value = default;
            return false;
        }

        value = _buffer.Slice(_position, count);
        _position += count;
        return true;
    }

    /// <summary>Takes the next <paramref name="count"/> bytes as a nested reader that keeps absolute offsets.</summary>
    public bool TryReadSubReader(int count, out WireReader sub)
    {
        var start = Offset;
        if (!TryReadBytes(count, out var bytes))
        {
            sub = default;
            return false;
        }

        sub = new WireReader(bytes, start);
        return true;
    }

    /// <summary>Skips <paramref name="count"/> bytes.</summary>
    public bool TrySkip(int count)
    {
        if (count < 0 || count > Remaining)
        {
            return false;
        }

        _position += count;
        return true;
    }

    /// <summary>An error of <paramref name="code"/> at the current offset.</summary>
    public readonly DecodeError Error(DecodeErrorCode code, string where) => new(code, Offset, where);
}

using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Storage;

/// <summary>
/// Reads the fields of a storage row buffer in the order <see cref="StorageRowWriter"/> wrote them.
/// The buffer is our own (never router input), so a short read is a bug and throws. The writer
/// reads every record of a batch several times (once per part and pass), so the small readers are
/// inlined: a call per field was about a tenth of bmpmond's CPU in a full-table profile.
/// </summary>
public ref struct SpanCursor
{
    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>Starts at <paramref name="offset"/> of <paramref name="bytes"/>.</summary>
    public SpanCursor(ReadOnlySpan<byte> bytes, int offset = 0)
    {
        _bytes = bytes;
        Position = offset;
    }

    /// <summary>The next byte to read.</summary>
    public int Position { get; private set; }

    /// <summary>True when everything was read.</summary>
    public readonly bool AtEnd => Position >= _bytes.Length;

    /// <summary>Skips <paramref name="count"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Skip(int count) => Position += count;

    /// <summary>A byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte U8() => _bytes[Position++];

    /// <summary>A boolean byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Bool() => _bytes[Position++] != 0;

    /// <summary>A u16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort U16()
    {
        var v = BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Position..]);
        Position += 2;
        return v;
    }

    /// <summary>A u32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint U32()
    {
        var v = BinaryPrimitives.ReadUInt32LittleEndian(_bytes[Position..]);
        Position += 4;
        return v;
    }

    /// <summary>A u64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong U64()
    {
        var v = BinaryPrimitives.ReadUInt64LittleEndian(_bytes[Position..]);
        Position += 8;
        return v;
    }

    /// <summary>An i64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long I64() => (long)U64();

    /// <summary>An address written by <see cref="StorageRowWriter"/>: a kind byte (0 none, 4, 6) and 16 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public IpAddr Ip()
    {
        var kind = _bytes[Position];
        var value = BinaryPrimitives.ReadUInt128LittleEndian(_bytes[(Position + 1)..]);
        Position += 17;
        return kind switch
        {
            4 => IpAddr.FromV4((uint)value),
            6 => IpAddr.FromV6(value),
            _ => default,
        };
    }

    /// <summary>A length-prefixed (u16) byte string: its offset and length in the buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (int Offset, int Length) Blob()
    {
        var length = U16();
        var offset = Position;
        Position += length;
        return (offset, length);
    }

    /// <summary>A byte string with a u32 length prefix (quarantined messages): its offset and length in the buffer.</summary>
    public (int Offset, int Length) Blob32()
    {
        var length = (int)U32();
        var offset = Position;
        Position += length;
        return (offset, length);
    }

    /// <summary>A length-prefixed UTF-8 string; null when written as null.</summary>
    public string? Text()
    {
        var length = U16();
        if (length == ushort.MaxValue)
        {
            return null;
        }

        var s = System.Text.Encoding.UTF8.GetString(_bytes.Slice(Position, length));
        Position += length;
        return s;
    }
}

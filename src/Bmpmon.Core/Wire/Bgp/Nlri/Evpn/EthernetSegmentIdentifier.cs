using System.Buffers.Binary;

namespace Bmpmon.Core.Wire.Bgp.Nlri.Evpn;

/// <summary>
/// An Ethernet Segment Identifier (RFC 7432 section 5): 10 bytes, a type byte then 9 value bytes,
/// held inline (no array) so EVPN routes allocate nothing.
/// </summary>
public readonly struct EthernetSegmentIdentifier : IEquatable<EthernetSegmentIdentifier>, IFixedWireBytes
{
    /// <summary>Wire size in bytes.</summary>
    public const int Size = 10;

    static int IFixedWireBytes.WireSize => Size;

    /// <summary>Length of <see cref="ToString"/>: 10 hex pairs and 9 colons.</summary>
    public const int FormattedLength = Size * 3 - 1;

    // Bytes 0-7 and 8-9 of the wire form, big-endian.
    private readonly ulong _high;
    private readonly ushort _low;

    private EthernetSegmentIdentifier(ulong high, ushort low)
    {
        _high = high;
        _low = low;
    }

    /// <summary>The ESI type (RFC 7432 section 5: 0 arbitrary, 1 LACP, 2 bridged LAN, 3 MAC-based, 4 router ID, 5 AS-based).</summary>
    public byte Type => (byte)(_high >> 56);

    /// <summary>True for the all-zero ESI, which RFC 7432 uses for single-homed sites.</summary>
    public bool IsZero => _high == 0 && _low == 0;

    /// <summary>Reads an ESI from its 10 wire bytes.</summary>
    public static EthernetSegmentIdentifier Read(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt16BigEndian(bytes[8..]));

    /// <summary>Writes the 10 wire bytes.</summary>
    public void WriteBytes(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], _low);
    }

    /// <summary>Formats the 10 bytes as colon-separated hex pairs without allocating.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten) => HexText.TryWriteColonSeparated(this, destination, out charsWritten);

    /// <inheritdoc/>
    public override string ToString() => HexText.ColonSeparated(this);

    /// <inheritdoc/>
    public bool Equals(EthernetSegmentIdentifier other) => _high == other._high && _low == other._low;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EthernetSegmentIdentifier other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_high, _low);

    /// <summary>Equality.</summary>
    public static bool operator ==(EthernetSegmentIdentifier left, EthernetSegmentIdentifier right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(EthernetSegmentIdentifier left, EthernetSegmentIdentifier right) => !left.Equals(right);
}

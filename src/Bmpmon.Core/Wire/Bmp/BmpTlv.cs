using System.Buffers.Binary;
using System.Text;

namespace Bmpmon.Core.Wire.Bmp;

/// <summary>
/// One BMP information TLV (RFC 7854 s4.4): type (2), length (2), value. In BMP version 4 Route
/// Monitoring messages (draft-ietf-grow-bmp-tlv s4) a 2-byte index sits between the length and the
/// value and is not counted in the length; <see cref="Index"/> is 0 elsewhere.
/// </summary>
public readonly ref struct BmpTlv
{
    /// <summary>The TLV type; its meaning depends on the message (see the Iana TLV type enums).</summary>
    public ushort Type { get; }

    /// <summary>The value bytes.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Absolute offset of the TLV's type field within the BMP message.</summary>
    public int Offset { get; }

    /// <summary>
    /// BMP v4 Route Monitoring only: the index of the NLRI in the BGP PDU the TLV applies to (0 for
    /// the whole message), or with the G bit (0x8000) a group index.
    /// </summary>
    public ushort Index { get; }

    /// <summary>True when the TLV carried an index field.</summary>
    public bool HasIndex { get; }

    /// <summary>Creates a TLV view.</summary>
    public BmpTlv(ushort type, ReadOnlySpan<byte> value, int offset, ushort index, bool hasIndex)
    {
        Type = type;
        Value = value;
        Offset = offset;
        Index = index;
        HasIndex = hasIndex;
    }

    /// <summary>Absolute offset of the value within the BMP message.</summary>
    public int ValueOffset => Offset + (HasIndex ? 6 : 4);

    /// <summary>The G bit of <see cref="Index"/>: the TLV names a group of indexes (draft-ietf-grow-bmp-tlv).</summary>
    public bool IsGroupIndex => HasIndex && (Index & 0x8000) != 0;

    /// <summary>The value as UTF-8 text, invalid sequences replaced (allocates: for the rare message types).</summary>
    public string ValueAsString() => Encoding.UTF8.GetString(Value);

    /// <summary>The value as a big-endian 16-bit code (Termination reason, Route Mirroring information); false unless exactly 2 bytes.</summary>
    public bool TryGetUInt16(out ushort value)
    {
        if (Value.Length == 2)
        {
            value = BinaryPrimitives.ReadUInt16BigEndian(Value);
            return true;
        }

        value = 0;
        return false;
    }
}

using Bmpmon.Core.Wire.Iana;

namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>
/// One path attribute as sent (RFC 4271 s4.3): flags, type code and value bytes, with the absolute
/// offsets of the attribute and of its value. Attributes this decoder has no field for are
/// exposed this way, so nothing the router sent is lost.
/// </summary>
public readonly ref struct PathAttribute
{
    /// <summary>Creates an attribute view.</summary>
    public PathAttribute(PathAttributeFlags flags, byte typeCode, ReadOnlySpan<byte> value, int offset, int valueOffset)
    {
        Flags = flags;
        TypeCode = typeCode;
        Value = value;
        Offset = offset;
        ValueOffset = valueOffset;
    }

    /// <summary>The flags octet as sent (including the unused low bits).</summary>
    public PathAttributeFlags Flags { get; }

    /// <summary>The attribute type code.</summary>
    public byte TypeCode { get; }

    /// <summary>The type code as the IANA enum (may be a value the enum does not name).</summary>
    public PathAttributeType Type => (PathAttributeType)TypeCode;

    /// <summary>The attribute value.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Absolute offset of the flags octet.</summary>
    public int Offset { get; }

    /// <summary>Absolute offset of the first value octet.</summary>
    public int ValueOffset { get; }

    /// <summary>True when the Optional flag is set.</summary>
    public bool IsOptional => (Flags & PathAttributeFlags.Optional) != 0;

    /// <summary>True when the Transitive flag is set.</summary>
    public bool IsTransitive => (Flags & PathAttributeFlags.Transitive) != 0;

    /// <summary>True when the Partial flag is set.</summary>
    public bool IsPartial => (Flags & PathAttributeFlags.Partial) != 0;

    /// <summary>True when the length was sent in two octets.</summary>
    public bool IsExtendedLength => (Flags & PathAttributeFlags.ExtendedLength) != 0;
}

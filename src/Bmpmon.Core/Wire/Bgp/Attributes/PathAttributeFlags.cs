namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>The attribute flags octet (RFC 4271 s4.3, "Path Attributes"). The low four bits are unused and kept as sent.</summary>
[Flags]
public enum PathAttributeFlags : byte
{
    /// <summary>No flag set.</summary>
    None = 0,

    /// <summary>The attribute length is two octets instead of one.</summary>
    ExtendedLength = 0x10,

    /// <summary>Some router on the path did not recognise this optional transitive attribute.</summary>
    Partial = 0x20,

    /// <summary>The attribute is passed on to other peers.</summary>
    Transitive = 0x40,

    /// <summary>The attribute is optional (not well-known).</summary>
    Optional = 0x80,
}

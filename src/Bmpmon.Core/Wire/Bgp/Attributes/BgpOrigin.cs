namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>ORIGIN attribute values (RFC 4271 s4.3 and s5.1.1).</summary>
public enum BgpOrigin : byte
{
    /// <summary>Interior to the originating AS.</summary>
    Igp = 0,

    /// <summary>Learned via EGP.</summary>
    Egp = 1,

    /// <summary>Learned by some other means (redistribution).</summary>
    Incomplete = 2,
}

namespace Bmpmon.Core.Wire.Iana;

/// <summary>Address Family Identifiers (IANA "Address Family Numbers").</summary>
public enum Afi : ushort
{
    /// <summary>IP version 4.</summary>
    Ipv4 = 1,

    /// <summary>IP version 6.</summary>
    Ipv6 = 2,

    /// <summary>Layer 2 VPN (RFC 4761, RFC 7432).</summary>
    L2vpn = 25,

    /// <summary>BGP-LS (RFC 7752).</summary>
    BgpLs = 16388,
}

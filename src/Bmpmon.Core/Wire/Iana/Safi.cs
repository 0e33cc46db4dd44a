namespace Bmpmon.Core.Wire.Iana;

/// <summary>Subsequent Address Family Identifiers (IANA "SAFI Values").</summary>
public enum Safi : byte
{
    /// <summary>Unicast forwarding (RFC 4760).</summary>
    Unicast = 1,

    /// <summary>Multicast forwarding (RFC 4760).</summary>
    Multicast = 2,

    /// <summary>NLRI with MPLS labels (RFC 8277).</summary>
    LabeledUnicast = 4,

    /// <summary>Multicast VPN (RFC 6514).</summary>
    MulticastVpn = 5,

    /// <summary>VPLS (RFC 4761).</summary>
    Vpls = 65,

    /// <summary>BGP EVPN (RFC 7432).</summary>
    Evpn = 70,

    /// <summary>BGP-LS (RFC 7752).</summary>
    BgpLs = 71,

    /// <summary>BGP-LS VPN (RFC 7752).</summary>
    BgpLsVpn = 72,

    /// <summary>SR TE Policy (RFC 9830).</summary>
    SrTePolicy = 73,

    /// <summary>MPLS-labeled VPN address (RFC 4364).</summary>
    MplsVpn = 128,

    /// <summary>Multicast for BGP/MPLS IP VPNs (RFC 6513).</summary>
    MulticastMplsVpn = 129,

    /// <summary>Route Target constraint (RFC 4684).</summary>
    RouteTargetConstraint = 132,

    /// <summary>Flow specification (RFC 8955).</summary>
    FlowSpec = 133,

    /// <summary>L3VPN flow specification (RFC 8955).</summary>
    FlowSpecVpn = 134,
}

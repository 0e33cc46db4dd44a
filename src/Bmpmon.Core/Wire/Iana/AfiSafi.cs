namespace Bmpmon.Core.Wire.Iana;

/// <summary>An address family and subsequent address family: the unit BGP negotiates and counts by.</summary>
/// <param name="Afi">The address family.</param>
/// <param name="Safi">The subsequent address family.</param>
public readonly record struct AfiSafi(Afi Afi, Safi Safi)
{
    /// <summary>IPv4 unicast, the family of the classic UPDATE fields.</summary>
    public static readonly AfiSafi Ipv4Unicast = new(Afi.Ipv4, Safi.Unicast);

    /// <summary>IPv6 unicast.</summary>
    public static readonly AfiSafi Ipv6Unicast = new(Afi.Ipv6, Safi.Unicast);

    /// <summary>L2VPN EVPN.</summary>
    public static readonly AfiSafi L2vpnEvpn = new(Afi.L2vpn, Safi.Evpn);

    /// <summary>True when NLRI of this family carry IPv6 prefixes.</summary>
    public bool IsIpv6 => Afi == Afi.Ipv6;

    /// <summary>True for the families whose NLRI are plain, labeled or VPN IP prefixes.</summary>
    public bool IsIpPrefixFamily =>
        Afi is Afi.Ipv4 or Afi.Ipv6 && Safi is Safi.Unicast or Safi.Multicast or Safi.LabeledUnicast or Safi.MplsVpn;

    /// <summary>
    /// The family's name as the fixtures, the summary and the database write it
    /// (ipv4-unicast, ipv6-vpn, l2vpn-evpn, ...); unknown families as "afi-N-safi-M".
    /// </summary>
    public string Name => (Afi, Safi) switch
    {
        (Afi.Ipv4, Safi.Unicast) => "ipv4-unicast",
        (Afi.Ipv6, Safi.Unicast) => "ipv6-unicast",
        (Afi.Ipv4, Safi.Multicast) => "ipv4-multicast",
        (Afi.Ipv6, Safi.Multicast) => "ipv6-multicast",
        (Afi.Ipv4, Safi.LabeledUnicast) => "ipv4-labeled-unicast",
        (Afi.Ipv6, Safi.LabeledUnicast) => "ipv6-labeled-unicast",
        (Afi.Ipv4, Safi.MplsVpn) => "ipv4-vpn",
        (Afi.Ipv6, Safi.MplsVpn) => "ipv6-vpn",
        (Afi.Ipv4, Safi.MulticastMplsVpn) => "ipv4-vpn-multicast",
        (Afi.Ipv6, Safi.MulticastMplsVpn) => "ipv6-vpn-multicast",
        (Afi.Ipv4, Safi.MulticastVpn) => "ipv4-mvpn",
        (Afi.Ipv6, Safi.MulticastVpn) => "ipv6-mvpn",
        (Afi.Ipv4, Safi.FlowSpec) => "ipv4-flowspec",
        (Afi.Ipv6, Safi.FlowSpec) => "ipv6-flowspec",
        (Afi.Ipv4, Safi.FlowSpecVpn) => "ipv4-flowspec-vpn",
        (Afi.Ipv6, Safi.FlowSpecVpn) => "ipv6-flowspec-vpn",
        (Afi.Ipv4, Safi.RouteTargetConstraint) => "ipv4-rtc",
        (Afi.Ipv4, Safi.SrTePolicy) => "ipv4-srte",
        (Afi.Ipv6, Safi.SrTePolicy) => "ipv6-srte",
        (Afi.L2vpn, Safi.Evpn) => "l2vpn-evpn",
        (Afi.L2vpn, Safi.Vpls) => "l2vpn-vpls",
        (Afi.BgpLs, Safi.BgpLs) => "bgp-ls",
        (Afi.BgpLs, Safi.BgpLsVpn) => "bgp-ls-vpn",
        _ => UnknownName(),
    };

    private string UnknownName() => $"afi-{(ushort)Afi}-safi-{(byte)Safi}";

    /// <inheritdoc/>
    public override string ToString() => Name;
}

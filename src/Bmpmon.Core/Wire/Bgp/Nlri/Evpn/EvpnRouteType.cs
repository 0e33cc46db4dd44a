namespace Bmpmon.Core.Wire.Bgp.Nlri.Evpn;

/// <summary>EVPN route types (RFC 7432 section 7, RFC 9136 section 3; IANA "EVPN Route Types").</summary>
public enum EvpnRouteType : byte
{
    /// <summary>Ethernet Auto-discovery route (RFC 7432 section 7.1).</summary>
    EthernetAutoDiscovery = 1,

    /// <summary>MAC/IP Advertisement route (RFC 7432 section 7.2).</summary>
    MacIpAdvertisement = 2,

    /// <summary>Inclusive Multicast Ethernet Tag route (RFC 7432 section 7.3).</summary>
    InclusiveMulticastEthernetTag = 3,

    /// <summary>Ethernet Segment route (RFC 7432 section 7.4).</summary>
    EthernetSegment = 4,

    /// <summary>IP Prefix route (RFC 9136 section 3).</summary>
    IpPrefix = 5,
}

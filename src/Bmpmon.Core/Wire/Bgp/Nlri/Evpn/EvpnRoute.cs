using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Nlri.Evpn;

/// <summary>
/// One EVPN route (RFC 7432 section 7, RFC 9136 section 3) with the fields of all route types
/// flattened into one value; a field the route type does not carry stays default.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>1 Ethernet A-D</term><description>Rd, Esi, EthernetTag, Labels (one)</description></item>
/// <item><term>2 MAC/IP</term><description>Rd, Esi, EthernetTag, MacLength, Mac, IpLength (0/32/128), Ip, Labels (one or two)</description></item>
/// <item><term>3 Inclusive Multicast</term><description>Rd, EthernetTag, IpLength, OriginatorIp</description></item>
/// <item><term>4 Ethernet Segment</term><description>Rd, Esi, IpLength, OriginatorIp</description></item>
/// <item><term>5 IP Prefix</term><description>Rd, Esi, EthernetTag, IpLength (prefix length), Ip (prefix), GatewayIp, Labels (one)</description></item>
/// </list>
/// Unknown route types carry only <see cref="RouteType"/>; their bytes are in <see cref="Nlri.Raw"/>.
/// </remarks>
public readonly struct EvpnRoute
{
    /// <summary>The route type as read from the wire (may be a value outside <see cref="EvpnRouteType"/>).</summary>
    public EvpnRouteType RouteType { get; init; }

    /// <summary>The route's RD (all known types).</summary>
    public RouteDistinguisher Rd { get; init; }

    /// <summary>The Ethernet Segment Identifier (types 1, 2, 4, 5).</summary>
    public EthernetSegmentIdentifier Esi { get; init; }

    /// <summary>The Ethernet Tag ID (types 1, 2, 3, 5).</summary>
    public uint EthernetTag { get; init; }

    /// <summary>The MAC address (type 2).</summary>
    public MacAddress Mac { get; init; }

    /// <summary>The MAC address length field in bits as sent (type 2; 48 per RFC 7432).</summary>
    public byte MacLength { get; init; }

    /// <summary>The IP address (type 2) or IP prefix (type 5); default when absent.</summary>
    public IpAddr Ip { get; init; }

    /// <summary>Length in bits of <see cref="Ip"/> (type 2: 0, 32 or 128; type 5: the prefix length) or of <see cref="OriginatorIp"/> (types 3, 4).</summary>
    public byte IpLength { get; init; }

    /// <summary>The originating router's IP address (types 3 and 4).</summary>
    public IpAddr OriginatorIp { get; init; }

    /// <summary>The gateway IP address (type 5; zero when not used as an overlay index).</summary>
    public IpAddr GatewayIp { get; init; }

    /// <summary>MPLS label 1, plus label 2 for a type 2 route that carries it (the whole 24 bits are kept: VXLAN puts a VNI there).</summary>
    public MplsLabelStack Labels { get; init; }

    /// <summary>True for route types 1-5, whose fields are decoded.</summary>
    public bool IsKnownType => RouteType is >= EvpnRouteType.EthernetAutoDiscovery and <= EvpnRouteType.IpPrefix;
}

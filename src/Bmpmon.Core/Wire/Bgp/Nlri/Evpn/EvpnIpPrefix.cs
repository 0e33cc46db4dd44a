using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Nlri.Evpn;

/// <summary>
/// IP Prefix route, EVPN route type 5 (RFC 9136 section 3.1):
/// <code>
/// | RD (8) | ESI (10) | Ethernet Tag ID (4) | IP Prefix Length (1) | IP Prefix (4 or 16) |
/// | GW IP Address (4 or 16) | MPLS Label (3) |
/// </code>
/// The family of the prefix and gateway is not signalled by a field: RFC 9136 says the route
/// length tells it, 34 bytes for IPv4 and 58 for IPv6.
/// </summary>
internal static class EvpnIpPrefix
{
    public const int Ipv4Length = 34;
    public const int Ipv6Length = 58;

    private const int PrefixLengthAt = 8 + EthernetSegmentIdentifier.Size + 4;
    private const string Where = "EVPN IP Prefix route";

    public static bool TryDecode(ReadOnlySpan<byte> value, int valueOffset, out EvpnRoute route, out DecodeError error)
    {
        route = default;
        int ipBytes;
        if (value.Length == Ipv4Length)
        {
            ipBytes = 4;
        }
        else if (value.Length == Ipv6Length)
        {
            ipBytes = 16;
        }
        else
        {
            error = new DecodeError(DecodeErrorCode.BadLength, valueOffset - 1, Where);
            return false;
        }

        var prefixLength = value[PrefixLengthAt];
        if (prefixLength > ipBytes * 8)
        {
            error = new DecodeError(DecodeErrorCode.BadValue, valueOffset + PrefixLengthAt, Where);
            return false;
        }

        var prefixAt = PrefixLengthAt + 1;
        var gatewayAt = prefixAt + ipBytes;
        route = new EvpnRoute
        {
            RouteType = EvpnRouteType.IpPrefix,
            Rd = RouteDistinguisher.Read(value),
            Esi = EthernetSegmentIdentifier.Read(value[8..]),
            EthernetTag = EvpnFields.ReadUInt32(value[18..]),
            IpLength = prefixLength,
            Ip = EvpnFields.ReadAddress(value.Slice(prefixAt, ipBytes)),
            GatewayIp = EvpnFields.ReadAddress(value.Slice(gatewayAt, ipBytes)),
            Labels = MplsLabelStack.FromEntry(EvpnFields.ReadUInt24(value[(gatewayAt + ipBytes)..])),
        };
        error = default;
        return true;
    }
}

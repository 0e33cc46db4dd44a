using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Nlri.Evpn;

/// <summary>
/// Inclusive Multicast Ethernet Tag route, EVPN route type 3 (RFC 7432 section 7.3):
/// <code>
/// | RD (8) | Ethernet Tag ID (4) | IP Address Length (1) | Originating Router's IP Address (4 or 16) |
/// </code>
/// </summary>
internal static class EvpnInclusiveMulticastEthernetTag
{
    private const int FixedBeforeIp = 8 + 4 + 1;
    private const string Where = "EVPN Inclusive Multicast Ethernet Tag route";

    public static bool TryDecode(ReadOnlySpan<byte> value, int valueOffset, out EvpnRoute route, out DecodeError error)
    {
        route = default;
        if (!EvpnFields.TryOriginatorIp(value, valueOffset, FixedBeforeIp, Where, out var ipLength, out var ip, out error))
        {
            return false;
        }

        route = new EvpnRoute
        {
            RouteType = EvpnRouteType.InclusiveMulticastEthernetTag,
            Rd = RouteDistinguisher.Read(value),
            EthernetTag = EvpnFields.ReadUInt32(value[8..]),
            IpLength = ipLength,
            OriginatorIp = ip,
        };
        return true;
    }
}

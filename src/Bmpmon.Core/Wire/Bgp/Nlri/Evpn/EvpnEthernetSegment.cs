using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Nlri.Evpn;

/// <summary>
/// Ethernet Segment route, EVPN route type 4 (RFC 7432 section 7.4):
/// <code>
/// | RD (8) | Ethernet Segment Identifier (10) | IP Address Length (1) | Originating Router's IP Address (4 or 16) |
/// </code>
/// </summary>
internal static class EvpnEthernetSegment
{
    private const int FixedBeforeIp = 8 + EthernetSegmentIdentifier.Size + 1;
    private const string Where = "EVPN Ethernet Segment route";

    public static bool TryDecode(ReadOnlySpan<byte> value, int valueOffset, out EvpnRoute route, out DecodeError error)
    {
        route = default;
        if (!EvpnFields.TryOriginatorIp(value, valueOffset, FixedBeforeIp, Where, out var ipLength, out var ip, out error))
        {
            return false;
        }

        route = new EvpnRoute
        {
            RouteType = EvpnRouteType.EthernetSegment,
            Rd = RouteDistinguisher.Read(value),
            Esi = EthernetSegmentIdentifier.Read(value[8..]),
            IpLength = ipLength,
            OriginatorIp = ip,
        };
        return true;
    }
}

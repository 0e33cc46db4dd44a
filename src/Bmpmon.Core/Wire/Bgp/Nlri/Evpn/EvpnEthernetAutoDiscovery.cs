using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Nlri.Evpn;

/// <summary>
/// Ethernet Auto-discovery route, EVPN route type 1 (RFC 7432 section 7.1):
/// <code>
/// | RD (8) | Ethernet Segment Identifier (10) | Ethernet Tag ID (4) | MPLS Label (3) |
/// </code>
/// </summary>
internal static class EvpnEthernetAutoDiscovery
{
    public const int Length = 8 + EthernetSegmentIdentifier.Size + 4 + 3;

    private const string Where = "EVPN Ethernet A-D route";

    public static bool TryDecode(ReadOnlySpan<byte> value, int valueOffset, out EvpnRoute route, out DecodeError error)
    {
        route = default;
        if (value.Length != Length)
        {
            // The route length byte sits just before the value.
            error = new DecodeError(DecodeErrorCode.BadLength, valueOffset - 1, Where);
            return false;
        }

        route = new EvpnRoute
        {
            RouteType = EvpnRouteType.EthernetAutoDiscovery,
            Rd = RouteDistinguisher.Read(value),
            Esi = EthernetSegmentIdentifier.Read(value[8..]),
            EthernetTag = EvpnFields.ReadUInt32(value[18..]),
            Labels = MplsLabelStack.FromEntry(EvpnFields.ReadUInt24(value[22..])),
        };
        error = default;
        return true;
    }
}

using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Nlri.Evpn;

/// <summary>Dispatches an EVPN route (RFC 7432 section 7) to the decoder of its route type.</summary>
internal static class EvpnNlri
{
    /// <summary>Decodes the route-type-specific bytes <paramref name="value"/>, which start at absolute offset <paramref name="valueOffset"/>.</summary>
    public static bool TryDecode(byte type, ReadOnlySpan<byte> value, int valueOffset, out EvpnRoute route, out DecodeError error)
    {
        switch ((EvpnRouteType)type)
        {
            case EvpnRouteType.EthernetAutoDiscovery:
                return EvpnEthernetAutoDiscovery.TryDecode(value, valueOffset, out route, out error);
            case EvpnRouteType.MacIpAdvertisement:
                return EvpnMacIpAdvertisement.TryDecode(value, valueOffset, out route, out error);
            case EvpnRouteType.InclusiveMulticastEthernetTag:
                return EvpnInclusiveMulticastEthernetTag.TryDecode(value, valueOffset, out route, out error);
            case EvpnRouteType.EthernetSegment:
                return EvpnEthernetSegment.TryDecode(value, valueOffset, out route, out error);
            case EvpnRouteType.IpPrefix:
                return EvpnIpPrefix.TryDecode(value, valueOffset, out route, out error);
            default:
                // Newer route types (6-11: multicast, RFC 9251 and others) are skipped by their
                // length and kept raw: an unknown type is not a malformed message.
                route = new EvpnRoute { RouteType = (EvpnRouteType)type };
                error = default;
                return true;
        }
    }
}

using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp.Nlri.Evpn;

/// <summary>
/// MAC/IP Advertisement route, EVPN route type 2 (RFC 7432 section 7.2):
/// <code>
/// | RD (8) | ESI (10) | Ethernet Tag ID (4) | MAC Address Length (1) | MAC Address (6) |
/// | IP Address Length (1) | IP Address (0, 4 or 16) | MPLS Label1 (3) | MPLS Label2 (0 or 3) |
/// </code>
/// </summary>
internal static class EvpnMacIpAdvertisement
{
    private const int FixedBeforeIp = 8 + EthernetSegmentIdentifier.Size + 4 + 1 + MacAddress.Size + 1;
    private const string Where = "EVPN MAC/IP Advertisement route";

    public static bool TryDecode(ReadOnlySpan<byte> value, int valueOffset, out EvpnRoute route, out DecodeError error)
    {
        route = default;
        if (value.Length < FixedBeforeIp + 3)
        {
            error = new DecodeError(DecodeErrorCode.BadLength, valueOffset - 1, Where);
            return false;
        }

        var ipLengthAt = FixedBeforeIp - 1;
        var ipLength = value[ipLengthAt];
        if (ipLength is not (0 or 32 or 128))
        {
            error = new DecodeError(DecodeErrorCode.BadValue, valueOffset + ipLengthAt, Where);
            return false;
        }

        var ipBytes = ipLength / 8;

        // Label2 is optional (RFC 7432 section 7.2: present for symmetric IRB, RFC 9135), so the
        // length must leave room for exactly one or exactly two label fields after the IP.
        var labelBytes = value.Length - FixedBeforeIp - ipBytes;
        if (labelBytes is not (3 or 6))
        {
            error = new DecodeError(DecodeErrorCode.BadLength, valueOffset - 1, Where);
            return false;
        }

        var ip = value.Slice(FixedBeforeIp, ipBytes);
        var labelsAt = FixedBeforeIp + ipBytes;
        var labels = MplsLabelStack.FromEntry(EvpnFields.ReadUInt24(value[labelsAt..]));
        if (labelBytes == 6)
        {
            labels = labels.Push(EvpnFields.ReadUInt24(value[(labelsAt + 3)..]));
        }

        route = new EvpnRoute
        {
            RouteType = EvpnRouteType.MacIpAdvertisement,
            Rd = RouteDistinguisher.Read(value),
            Esi = EthernetSegmentIdentifier.Read(value[8..]),
            EthernetTag = EvpnFields.ReadUInt32(value[18..]),
            MacLength = value[22],
            Mac = MacAddress.Read(value[23..]),
            IpLength = ipLength,
            Ip = EvpnFields.ReadAddress(ip),
            Labels = labels,
        };
        error = default;
        return true;
    }
}

using System.Text;
using Bmpmon.Core.Wire.Bgp.Nlri.Evpn;

namespace Bmpmon.Core.Wire.Bgp.Nlri;

/// <summary>Text forms of NLRI, close to what Wireshark prints (the fixture oracle). Output only: allocates.</summary>
internal static class NlriText
{
    public static string Format(in Nlri nlri)
    {
        var sb = new StringBuilder();
        if (nlri.IsOpaque)
        {
            sb.Append("raw:");
            AppendHex(sb, nlri.Raw);
        }
        else if (nlri.IsEvpn)
        {
            AppendEvpn(sb, nlri.Evpn, nlri.Raw);
        }
        else
        {
            if (nlri.HasRd)
            {
                sb.Append("RD=").Append(nlri.Rd.ToString()).Append(':');
            }

            sb.Append(nlri.Prefix.ToString());
            if (!nlri.Labels.IsEmpty)
            {
                sb.Append(" label=").Append(nlri.Labels.ToString());
            }
        }

        if (nlri.HasPathId)
        {
            sb.Append(" path_id=").Append(nlri.PathId);
        }

        return sb.ToString();
    }

    private static void AppendEvpn(StringBuilder sb, in EvpnRoute r, ReadOnlySpan<byte> raw)
    {
        sb.Append("evpn:rt=").Append((byte)r.RouteType);
        if (!r.IsKnownType)
        {
            sb.Append(",raw=");
            AppendHex(sb, raw);
            return;
        }

        sb.Append(",rd=").Append(r.Rd.ToHexString());
        if (r.RouteType != EvpnRouteType.InclusiveMulticastEthernetTag)
        {
            sb.Append(",esi=").Append(r.Esi.ToString());
        }

        if (r.RouteType != EvpnRouteType.EthernetSegment)
        {
            sb.Append(",etag=").Append(r.EthernetTag);
        }

        switch (r.RouteType)
        {
            case EvpnRouteType.MacIpAdvertisement:
                sb.Append(",mac=").Append(r.Mac.ToString());
                if (r.IpLength != 0)
                {
                    sb.Append(",ip=").Append(r.Ip.ToString());
                }

                break;
            case EvpnRouteType.InclusiveMulticastEthernetTag:
            case EvpnRouteType.EthernetSegment:
                sb.Append(",orig=").Append(r.OriginatorIp.ToString());
                break;
            case EvpnRouteType.IpPrefix:
                sb.Append(",prefix=").Append(r.Ip.ToString()).Append('/').Append(r.IpLength);
                sb.Append(",gw=").Append(r.GatewayIp.ToString());
                break;
        }

        for (var i = 0; i < r.Labels.Count; i++)
        {
            sb.Append(",mpls_ls").Append(i + 1).Append('=').Append(r.Labels[i]);
        }
    }

    private static void AppendHex(StringBuilder sb, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            sb.Append(HexText.Digit(b >> 4)).Append(HexText.Digit(b));
        }
    }
}

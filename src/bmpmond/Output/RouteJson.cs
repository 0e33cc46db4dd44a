using System.Text.Json;
using Bmpmon.Core.Decoding;
using Bmpmon.Core.Wire.Bgp.Attributes;
using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Bgp.Nlri.Evpn;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmond.Output;

/// <summary>
/// The JSON shape of one route (announced NLRI with its attributes, or a withdrawal), shared by
/// <c>bmpmond decode --routes</c>, the per-message output and the daemon's jsonl output. Flat, so
/// that jq and SQL loaders can take it as it is.
/// </summary>
internal static class RouteJson
{
    public static void Write(Utf8JsonWriter json, string router, in PerPeerHeader peer, in PathAttributes attributes, in Nlri nlri, in RouteInfo info)
    {
        json.WriteStartObject();
        json.WriteString("router", router);
        PeerJson.WriteFields(json, peer);
        json.WriteString("family", nlri.Family.Name);
        json.WriteString("action", info.IsWithdrawal ? "withdraw" : "announce");
        WriteNlriFields(json, nlri);
        if (!info.IsWithdrawal)
        {
            WriteIfSet(json, "next_hop", info.NextHop);
            WriteIfSet(json, "next_hop_link_local", info.LinkLocalNextHop);
            AttributesJson.WriteFields(json, attributes);
        }

        json.WriteEndObject();
    }

    public static void WriteNlriFields(Utf8JsonWriter json, in Nlri nlri)
    {
        if (nlri.HasPathId)
        {
            json.WriteNumber("path_id", nlri.PathId);
        }

        if (nlri.HasRd)
        {
            json.WriteString("rd", nlri.Rd.ToString());
        }

        if (nlri.IsEvpn)
        {
            WriteEvpn(json, nlri.Evpn);
        }
        else if (nlri.Family.IsIpPrefixFamily)
        {
            json.WriteString("prefix", nlri.Prefix.ToString());
        }
        else
        {
            json.WriteString("nlri_hex", Convert.ToHexStringLower(nlri.Raw));
        }

        if (!nlri.Labels.IsEmpty)
        {
            json.WriteStartArray("labels");
            for (var i = 0; i < nlri.Labels.Count; i++)
            {
                json.WriteNumberValue(nlri.Labels[i]);
            }

            json.WriteEndArray();
        }
    }

    private static void WriteEvpn(Utf8JsonWriter json, in EvpnRoute evpn)
    {
        // The RD was written with the NLRI's common fields (HasRd is set for EVPN routes).
        json.WriteNumber("evpn_route_type", (int)evpn.RouteType);
        if (!evpn.Esi.IsZero)
        {
            json.WriteString("esi", evpn.Esi.ToString());
        }

        json.WriteNumber("ethernet_tag", evpn.EthernetTag);
        if (evpn.MacLength > 0)
        {
            json.WriteString("mac", evpn.Mac.ToString());
        }

        if (evpn.Ip.HasValue)
        {
            json.WriteString("ip", evpn.Ip.ToString());
            json.WriteNumber("ip_length", evpn.IpLength);
        }

        WriteIfSet(json, "originator_ip", evpn.OriginatorIp);
        WriteIfSet(json, "gateway_ip", evpn.GatewayIp);
        if (!evpn.Labels.IsEmpty)
        {
            json.WriteStartArray("evpn_labels");
            for (var i = 0; i < evpn.Labels.Count; i++)
            {
                json.WriteNumberValue(evpn.Labels[i]);
            }

            json.WriteEndArray();
        }
    }

    internal static void WriteIfSet(Utf8JsonWriter json, string name, IpAddr address)
    {
        if (address.HasValue)
        {
            json.WriteString(name, address.ToString());
        }
    }
}

using System.Text.Json;
using Bmpmon.Core.Wire.Bmp;

namespace Bmpmond.Output;

/// <summary>The per-peer header (RFC 7854 s4.2) as flat JSON fields.</summary>
internal static class PeerJson
{
    public static void WriteFields(Utf8JsonWriter json, in PerPeerHeader peer)
    {
        json.WriteString("peer_type", PeerTypeName(peer.PeerType));
        json.WriteString("peer_distinguisher", new Bmpmon.Core.Wire.Bgp.Nlri.RouteDistinguisher(peer.Distinguisher).ToString());
        json.WriteString("peer_address", peer.PeerAddress.ToString());
        json.WriteNumber("peer_asn", peer.PeerAs);
        json.WriteString("peer_bgp_id", Bmpmon.Core.Wire.Primitives.IpAddr.FromV4(peer.PeerBgpId).ToString());
        json.WriteString("rib", peer.Rib.Name());
        json.WriteString("timestamp", Timestamp(peer.TimestampSeconds, peer.TimestampMicroseconds));
    }

    public static string PeerTypeName(Bmpmon.Core.Wire.Iana.BmpPeerType type) => type switch
    {
        Bmpmon.Core.Wire.Iana.BmpPeerType.GlobalInstance => "global",
        Bmpmon.Core.Wire.Iana.BmpPeerType.RdInstance => "rd",
        Bmpmon.Core.Wire.Iana.BmpPeerType.LocalInstance => "local",
        Bmpmon.Core.Wire.Iana.BmpPeerType.LocRibInstance => "loc-rib",
        _ => "type-" + ((byte)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>RFC 7854 s4.2: seconds and microseconds since the epoch, as ISO 8601 UTC with microseconds.</summary>
    public static string Timestamp(uint seconds, uint microseconds)
    {
        var time = DateTime.UnixEpoch.AddSeconds(seconds).AddTicks(Math.Min(microseconds, 999_999u) * 10L);
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }
}
